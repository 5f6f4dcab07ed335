using Grants.Contracts.Lottery;
using Grants.Domain.Budget;

namespace Grants.Functions.Lottery;

/// <summary>How a round's budget ledger is shown through the API.</summary>
public static class BudgetResponses
{
    public static BudgetResponse From(string roundId, LedgerBalance balance, IEnumerable<LedgerEntry> entries) =>
        new(roundId, balance.Ceiling, balance.Reserved, balance.Committed, balance.Released, balance.Available,
            [.. entries.Select(e => new LedgerEntryResponse(e.EntryId, e.Kind, e.Reference, e.Amount, e.By, e.At, e.Reason))], balance.Paid);
}

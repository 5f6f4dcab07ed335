using Grants.Contracts.Monitoring;
using Grants.Functions.Applications;
using Grants.Functions.Budget;
using Grants.Functions.Vouchers;

namespace Grants.Functions.Monitoring;

/// <summary>Reads a round's monitoring figures: its applications, vouchers, ledger and grants, each once.</summary>
public sealed class MonitoringReader(ApplicationStore applications, VoucherStore vouchers, BudgetLedgerStore ledger, Platform.Storage.AggregateStore store)
{
    public async Task<(MonitoringResponse Figures, List<Domain.Applications.ApplicationData> Applications)> ReadRoundAsync(string roundId, CancellationToken cancellationToken)
    {
        var apps = (await applications.OfRoundAsync(roundId, cancellationToken)).Select(a => a.State).ToList();
        var issued = (await vouchers.OfRoundAsync(roundId, cancellationToken)).Select(v => v.State).ToList();
        var balance = await ledger.BalanceAsync(roundId, cancellationToken);
        var entries = await ledger.EntriesAsync(roundId, cancellationToken);
        var grants = (await store.InKeyRangeAsync<Domain.Execution.GrantData>(Execution.GrantStore.AggregateType,
            Domain.Execution.GrantAgreement.IdFor(Domain.Applications.Application.IdPrefixFor(roundId)), cancellationToken)).Select(g => g.State);
        return (new MonitoringResponse("round", roundId, [roundId], MonitoringFigures.Funnel(apps), MonitoringFigures.Vouchers(issued),
            MonitoringFigures.Budget(balance, [.. entries], MonitoringFigures.PaidByRecords(issued, grants)), MonitoringFigures.Breakdowns(apps)), apps);
    }

}

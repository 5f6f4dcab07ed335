using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Budget;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.OpenData;

/// <summary>An award that may be published, with the payments and recoveries the round's ledger booked for it, in order.</summary>
public sealed record PublishedAward(StoredAggregate<ApplicationData> Application, IReadOnlyList<LedgerEntry> Payments)
{
    public ApplicationData State => Application.State;

    /// <summary>What was paid to the recipient, less what was recovered from it.</summary>
    public long PaidCents => Payments.Sum(p => p.Kind == LedgerKinds.Recovery ? -p.Amount : p.Amount);
}

/// <summary>
/// The awards of a round that the open data publishes (docs/open-data.md): decided by the ministry (a proposal only once
/// approved) and standing — awarded or accepted, not declined or lapsed. Nothing about an application that was not awarded.
/// </summary>
public sealed class PublishedAwards(ApplicationStore applications, BudgetLedgerStore ledger)
{
    public static bool IsPublished(ApplicationData application) =>
        application.Award is { DecidedAt: not null } && Application.HoldsAward(application);

    /// <summary>The round's published awards by application id; the ledger is read only when there is one.</summary>
    public async Task<IReadOnlyList<PublishedAward>> OfRoundAsync(RoundData round, CancellationToken cancellationToken)
    {
        var awarded = (await applications.OfRoundAsync(round.Id, cancellationToken)).Where(a => IsPublished(a.State)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        if (awarded.Count == 0)
        {
            return [];
        }

        var payments = (await ledger.EntriesAsync(round.Id, cancellationToken))
            .Where(e => e.Kind is LedgerKinds.Payment or LedgerKinds.Recovery && e.Reference is not null)
            .OrderBy(e => e.At).ThenBy(e => e.EntryId, StringComparer.Ordinal)
            .ToLookup(e => e.Reference!, StringComparer.Ordinal);
        return [.. awarded.Select(a => new PublishedAward(a, [.. payments[a.Id]]))];
    }
}

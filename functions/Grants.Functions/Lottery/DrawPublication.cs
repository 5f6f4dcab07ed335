using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>
/// After a draw: the balance check, and — once the results may be published — each applicant's own
/// outcome (selected or reserve, rank, reserve position, pseudonym) on its application and by mail.
/// What else follows the publication is raised with the round's commit (<see cref="RoundEvents.DrawPublished"/>).
/// </summary>
public sealed class DrawPublication(ApplicationStore applications, ProtocolStore protocols, PoolStore pools, Budget.BudgetLedgerStore ledger, TimeProvider time)
{
    public const string SystemActor = "system:lottery-results";

    public static BalanceReport Balance(LotteryProtocol protocol, FrozenPool pool, double threshold = BalanceCheck.DefaultThreshold)
    {
        var units = pool.Entries.Select(e => new BalanceUnit(e.Id, e.Stratum, e.Sector, DateOnly.FromDateTime(AmsterdamTime.ToLocal(e.SubmittedAt)), e.Amount)).ToList();
        return BalanceCheck.Run(units, protocol.Selected.ToHashSet(), protocol.Probabilities.ToDictionary(p => p.Id, p => p.P), threshold);
    }

    /// <summary>
    /// Tells every pool member its outcome once the round's draw may be published; repeating it only finishes what is left.
    /// A caller that has the draw's protocol and pool at hand passes them; they are not read again.
    /// </summary>
    public async Task PublishIfDueAsync(RoundData round, LotteryProtocol? protocol, FrozenPool? pool, CancellationToken cancellationToken)
    {
        if (round.LotteryState.Draw is not { PublishedAt: not null } draw)
        {
            return;
        }

        protocol ??= await protocols.ReadAsync(round.Id, draw.ProtocolHash, cancellationToken);
        pool ??= await pools.ReadAsync(round, cancellationToken);
        await PublishAsync(round, protocol, draw.ProtocolHash, pool, cancellationToken);
    }

    /// <summary>Tells every pool member its outcome; safe to run again (work already done is skipped).</summary>
    private async Task PublishAsync(RoundData round, LotteryProtocol protocol, string protocolHash, FrozenPool pool, CancellationToken cancellationToken)
    {
        var selected = protocol.Selected.ToHashSet();
        var ranks = protocol.Order.ToDictionary(e => e.Id);
        var reservePositions = protocol.ReservePositions();
        // The budget: the round's ceiling, and a reservation for every selected application (docs/design.md §2.4).
        var now = time.GetUtcNow();
        await ledger.PostAllAsync(round.Id, [
            new Domain.Budget.LedgerEntry("ceiling", Domain.Budget.LedgerKinds.Ceiling, null, round.Configuration.BudgetCeilingCents, SystemActor, now, "round budget ceiling"),
            .. pool.Entries.Where(e => selected.Contains(e.Id)).Select(entry =>
                new Domain.Budget.LedgerEntry($"select-{entry.ApplicationId}", Domain.Budget.LedgerKinds.Reserve, entry.ApplicationId, entry.Amount, SystemActor, now, $"selected in draw {protocolHash}")),
        ], cancellationToken);

        await Fanout.ForEachAsync(pool.Entries, (entry, ct) =>
        {
            var outcome = new DrawOutcome(selected.Contains(entry.Id), entry.Stratum, ranks[entry.Id].Rank,
                reservePositions.TryGetValue(entry.Id, out var position) ? position : null, protocolHash);
            return applications.UpdateWithRetryAsync(entry.ApplicationId, a => a.Data.Status == ApplicationStatus.InPool, a =>
            {
                a.RecordDrawOutcome(outcome);
                return Change.Of(new PendingAuditEvent("DrawOutcomeRecorded", outcome), ApplicantMail.DrawOutcome(a.Data, round.Name, round.Configuration));
            }, SystemActor, ct);
        }, cancellationToken);
    }
}

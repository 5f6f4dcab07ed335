using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Rounds;

/// <summary>
/// Freezing a closed round's pool: every submitted application must have its eligibility decided;
/// the eligible ones, with stratum, amount and baseline covariates, become a write-once document
/// named by its hash (docs/design.md §4), the round records the hash, and the applications enter the pool.
/// </summary>
public sealed class PoolFreezing(PoolStore pools, RoundStore rounds, ApplicationStore applications, Assessments.AssessmentStores assessments, Lottery.AnnouncementStore announcements, TimeProvider time)
{
    public async Task<Result<StoredAggregate<RoundData>>> FreezeAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return RoundStore.NotFound(roundId);
        }

        if (stored.State is { Status: RoundStatus.PoolFrozen, PoolHash: not null })
        {
            // Frozen already: finish moving its applications into the pool (an earlier attempt may have stopped halfway).
            var frozen = await pools.ReadAsync(stored.State, cancellationToken);
            await announcements.AnnounceAsync(stored.State, frozen.Entries.Select(e => e.Stratum), cancellationToken);
            await EnterPoolAsync(roundId, frozen.PoolHash, frozen.Entries.Select(e => (e.ApplicationId, e.Id)), caller, cancellationToken);
            return stored;
        }

        var round = new Round(stored.State);
        var all = await applications.OfRoundAsync(roundId, cancellationToken);
        var undecided = all.Count(a => new Application(a.State).AwaitsEligibilityDecision);
        var design = stored.State.Configuration.Allocation;
        var qualified = all.Where(a => a.State.Status is ApplicationStatus.Eligible or ApplicationStatus.InPool).ToList();
        if (design.AssessesBeforeDraw)
        {
            // Assess then lottery: only applications the committee advised positively enter the pool; none may be pending.
            var advice = new Dictionary<string, bool?>();
            foreach (var application in qualified)
            {
                advice[application.Id] = (await assessments.AssessmentAsync(Domain.Assessments.Assessment.IdFor(application.Id), cancellationToken))?.State.Advice?.Positive;
            }

            var unassessed = advice.Count(a => a.Value is null);
            if (stored.State.Status == RoundStatus.Closed && unassessed > 0)
            {
                throw new DomainRuleException("pool", $"the committee's advice is still missing for {English.Count(unassessed, "eligible application")}, and this round assesses before the draw");
            }

            qualified = [.. qualified.Where(a => advice[a.Id] == true)];
        }

        var entries = qualified
            .Select(a => new PoolEntry(a.State.PoolId ?? PoolEntry.NewPseudonym(), design.StratumOf(a.State.Applicant.Sector, a.State.Applicant.SizeClass, a.State.Applicant.IsPublic),
                a.State.Content.RequestedAmountCents, a.State.Applicant.Sector, a.State.Applicant.SizeClass, a.State.Applicant.IsPublic, a.State.SubmittedAt!.Value, a.Id))
            .ToList();
        var pool = FrozenPool.Of(roundId, time.GetUtcNow(), entries);

        round.FreezePool(undecided, pool.PoolHash, pool.Entries.Count, pool.FrozenAt);
        await pools.WriteOnceAsync(pool, cancellationToken);
        var saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("PoolFrozen", new { poolHash = pool.PoolHash, poolSize = pool.Entries.Count }), cancellationToken);
        await announcements.AnnounceAsync(saved.State, pool.Entries.Select(e => e.Stratum), cancellationToken);

        await EnterPoolAsync(roundId, pool.PoolHash, pool.Entries.Select(e => (e.ApplicationId, e.Id)), caller, cancellationToken);
        return saved;
    }

    private async Task EnterPoolAsync(string roundId, string poolHash, IEnumerable<(string ApplicationId, string PoolId)> entries, Caller caller, CancellationToken cancellationToken)
    {
        await Fanout.ForEachAsync(entries, (entry, ct) =>
            applications.UpdateWithRetryAsync(entry.ApplicationId, a => a.Data.Status == ApplicationStatus.Eligible, a =>
            {
                a.EnterPool(entry.PoolId);
                return Change.Of(new PendingAuditEvent("EnteredPool", new { roundId, poolHash, poolId = entry.PoolId }));
            }, caller.AuditName, ct), cancellationToken);
    }
}

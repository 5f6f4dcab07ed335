using Grants.Domain.Applications;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>
/// The freeze of a closed round's pool (docs/design.md §4), started by <see cref="RoundEvents.PoolFreezeRequested"/>, in the name of whoever asked for it. The listing computes the
/// pool from every application of the round — every submitted one must have its eligibility decided, and where the
/// committee assesses before the draw every eligible one its advice — writes it as a write-once document named by its
/// hash, records the hash on the round and announces the pool; its items are the pool's applications, each of which
/// then enters the pool under its pseudonym. When the round's applications forbid the freeze, the round records why
/// and is Closed again, and the operation reads Refused with that reason.
/// </summary>
public sealed class PoolFreeze(
    CommandExecutor commands, RoundStore rounds, PoolStore pools, ApplicationStore applications, AssessmentStore assessments, CommitteeStore committees,
    AnnouncementStore announcements, TimeProvider time) : IBatchWork
{
    public const string Kind = "pool-freeze";

    string IBatchWork.Kind => Kind;

    /// <summary>What tells one request's freeze from a later one (after a refusal): the time it was asked for, as 16 hexadecimal digits.</summary>
    public static string DistinctionOf(RoundData round) =>
        (round.PoolFreezeRequestedAt ?? round.PoolFrozenAt ?? throw new InvalidOperationException($"Round {round.Id} has no freeze asked for.")).UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public static string OperationIdFor(RoundData round) => OperationIds.For(Kind, round.Id, DistinctionOf(round));

    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        FrozenPool? computed = null;
        if (round.State.Status == RoundStatus.PoolFreezing && DistinctionOf(round.State) == operation.Distinction)
        {
            (round, computed) = await FreezeAsync(round, operation, cancellationToken);
        }

        if (DistinctionOf(round.State) != operation.Distinction)
        {
            return WorkPlan.Refused("a later request to freeze the pool took this one's place");
        }

        if (round.State is { Status: RoundStatus.Closed, PoolFreezeRefusal: { } refusal })
        {
            return WorkPlan.Refused(refusal);
        }

        // The pool just computed when it is the one the round recorded; else (a delivery after the freeze) as stored.
        var pool = computed is { } frozen && frozen.PoolHash == round.State.PoolHash ? frozen : await pools.ReadAsync(round.State, cancellationToken);
        await announcements.AnnounceAsync(round.State, pool, cancellationToken);
        return new WorkPlan([.. pool.Entries.Select(e => $"{e.ApplicationId} {e.Id}")]);
    }

    public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken) =>
        Fanout.ForEachAsync(items, (item, ct) =>
        {
            var parts = item.Split(' ');
            var (applicationId, poolId) = (parts[0], parts[1]);
            return applications.UpdateWithRetryAsync(applicationId, a => a.Data.Status == ApplicationStatus.Eligible, a =>
            {
                a.EnterPool(poolId);
                return Change.Of(new PendingAuditEvent("EnteredPool", new { roundId = operation.RoundId, poolId }));
            }, operation.Actor, ct);
        }, cancellationToken);

    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Computes the pool and records on the round either its hash or why it cannot be frozen; returns the round as recorded and the pool computed.</summary>
    private async Task<(StoredAggregate<RoundData> Round, FrozenPool Pool)> FreezeAsync(StoredAggregate<RoundData> round, OperationRecord operation, CancellationToken cancellationToken)
    {
        var all = await applications.OfRoundAsync(round.Id, cancellationToken);
        var undecided = all.Count(a => new Application(a.State).AwaitsEligibilityDecision);
        var design = round.State.Configuration.Allocation;
        var qualified = all.Where(a => a.State.Status is ApplicationStatus.Eligible or ApplicationStatus.InPool).ToList();
        var unadvised = 0;
        var scores = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (design.AssessesBeforeDraw)
        {
            // Assess then lottery: only applications the committee advised positively enter the pool; where the method ranks
            // by the committee's scores, each enters with its score as published.
            var committee = AllocationDesign.RanksByScore(design.Method) ? (await committees.OfRoundAsync(round.Id, cancellationToken))?.State : null;
            var advice = new Dictionary<string, bool?>(StringComparer.Ordinal);
            await Fanout.ForEachAsync(qualified, async (application, ct) =>
            {
                var assessment = (await assessments.FindAsync(Domain.Assessments.Assessment.IdFor(application.Id), ct))?.State;
                lock (advice)
                {
                    advice[application.Id] = assessment?.Advice?.Positive;
                    if (committee is not null && assessment is { Advice.Positive: true })
                    {
                        scores[application.Id] = Domain.Allocation.AllocationMethod.PublishedScore(
                            new Domain.Assessments.Assessment(assessment).Aggregate(committee.Criteria, committee.PassThreshold).WeightedTotal);
                    }
                }
            }, cancellationToken);
            unadvised = advice.Count(a => a.Value is null);
            qualified = [.. qualified.Where(a => advice[a.Id] == true)];
        }

        var pool = FrozenPool.Of(round.Id, time.GetUtcNow(), [.. qualified.Select(a => new PoolEntry(
            a.State.PoolId ?? PoolEntry.NewPseudonym(), design.StratumOf(a.State.Applicant.Sector, a.State.Applicant.SizeClass, a.State.Applicant.IsPublic),
            a.State.Content.RequestedAmountCents, a.State.Applicant.Sector, a.State.Applicant.SizeClass, a.State.Applicant.IsPublic, a.State.SubmittedAt!.Value, a.Id,
            design.Method == Domain.Allocation.AllocationMethod.FirstComeFirstServedByDay ? new Application(a.State).CompletedAt : null,
            scores.TryGetValue(a.Id, out var score) ? score : null))]);
        // The round's other work may record on it meanwhile (that every applicant was told of the closure): the pool does
        // not depend on that, so the freeze is recorded on the round as it is then, as long as it is still this request's.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await commands.ChangeAsync(rounds, round.Id, round.ETag, operation.Actor, async stored =>
                {
                    var changing = new Round(stored.State);
                    if (changing.CompletePoolFreeze(undecided, unadvised, pool.PoolHash, pool.Entries.Count, pool.FrozenAt) is { } refusal)
                    {
                        return new Commit<RoundData>(changing.Data, changing.Data.Status.ToString(), Change.Of(new PendingAuditEvent("PoolFreezeRefused", new { reason = refusal })));
                    }

                    await pools.WriteOnceAsync(pool, cancellationToken);
                    return new Commit<RoundData>(changing.Data, changing.Data.Status.ToString(),
                        Change.Of(new PendingAuditEvent("PoolFrozen", new { poolHash = pool.PoolHash, poolSize = pool.Entries.Count })));
                }, cancellationToken);
                return (result.Value ?? throw new InvalidOperationException($"Freezing the pool of round {round.Id} failed: {result.Failure?.Detail}"), pool);
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
                round = await rounds.FindAsync(round.Id, cancellationToken) ?? throw new InvalidOperationException($"Round {round.Id} vanished.");
                if (round.State.Status != RoundStatus.PoolFreezing || DistinctionOf(round.State) != operation.Distinction)
                {
                    return (round, pool);
                }
            }
        }
    }
}

using Grants.Contracts.Rounds;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Freeze a closed round's pool of eligible applications for the lottery; they enter it in the background (Location)", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true, SuccessStatus = 202, StartsWork = true)]
public sealed class FreezePool(RequestGate gate, FreezePoolHandler handler)
{
    [Function(nameof(FreezePool))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/pool/freeze")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<FreezePool>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct)).Accepted(RoundResponses.From, r => EnterPool.OperationIdFor(r.Id, r.State.PoolHash!)), cancellationToken);
}

/// <summary>
/// Freezing a closed round's pool: every submitted application must have its eligibility decided;
/// the eligible ones, with stratum, amount and baseline covariates, become a write-once document
/// named by its hash (docs/design.md §4), the round records the hash, and the applications enter the pool in the
/// background (<see cref="EnterPool"/>).
/// </summary>
public sealed class FreezePoolHandler(
    CommandExecutor commands, RoundStore rounds, PoolStore pools, ApplicationStore applications, Assessments.AssessmentStore assessments, AnnouncementStore announcements, TimeProvider time)
{
    public async Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        FrozenPool? frozen = null;
        var result = await commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, async stored =>
        {
            if (stored.State is { Status: RoundStatus.PoolFrozen, PoolHash: not null })
            {
                return Commit<RoundData>.Unchanged(stored); // frozen already: what is left of entering the pool is finished below
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
                    advice[application.Id] = (await assessments.FindAsync(Domain.Assessments.Assessment.IdFor(application.Id), cancellationToken))?.State.Advice?.Positive;
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
            frozen = pool;
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(),
                Change.Of(new PendingAuditEvent("PoolFrozen", new { poolHash = pool.PoolHash, poolSize = pool.Entries.Count })).Raising(new OutboxEvent(RoundEvents.PoolFrozen)));
        }, cancellationToken);

        // Announce the pool; its applications enter it in the background (EnterPool). When frozen before (an earlier
        // attempt may have stopped halfway), this finishes what is left.
        if (result.Value is { State.PoolHash: not null } saved)
        {
            var pool = frozen ?? await pools.ReadAsync(saved.State, cancellationToken);
            await announcements.AnnounceAsync(saved.State, pool.Entries.Select(e => e.Stratum), cancellationToken);
        }

        return result;
    }
}

using Grants.Contracts.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry, Roles.Notary)]
[ApiOperation("Commit to your secret seed for the round's lottery (before the round closes)", Tag = "Lottery", Request = typeof(CommitSeedRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class CommitSeed(RequestGate gate, CommitSeedHandler handler)
{
    [Function(nameof(CommitSeed))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/commitments")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CommitSeed, CommitSeedRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Ok(LotteryResponses.From), cancellationToken);
}

/// <summary>Records a party's commitment to its seed, and announces it the moment it exists (docs/design.md §4).</summary>
public sealed class CommitSeedHandler(CommandExecutor commands, RoundStore rounds, AnnouncementStore announcements, TimeProvider time)
{
    public async Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, CommitSeedRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var committed = await commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            var party = LotteryAccess.PartyOf(caller);
            round.CommitSeed(party, request.Commitment, caller.AuditName, time.GetUtcNow());
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(new PendingAuditEvent("SeedCommitted", new { party, commitment = request.Commitment })));
        }, cancellationToken);

        // Also when an earlier attempt of this request stopped before announcing it.
        if (committed.Value is { } saved)
        {
            await announcements.AnnounceAsync(saved.State, frozen: null, cancellationToken);
        }

        return committed;
    }
}

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
[ApiOperation("Reveal your seed once the pool is frozen; it must match your commitment", Tag = "Lottery", Request = typeof(RevealSeedRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class RevealSeed(RequestGate gate, RevealSeedHandler handler)
{
    [Function(nameof(RevealSeed))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/reveals")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RevealSeed, RevealSeedRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Ok(LotteryResponses.From), cancellationToken);
}

/// <summary>Records a party's seed, which must match its commitment; the round's record of it is public, so nothing is announced apart.</summary>
public sealed class RevealSeedHandler(CommandExecutor commands, RoundStore rounds, TimeProvider time)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, RevealSeedRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            var party = LotteryAccess.PartyOf(caller);
            round.RevealSeed(party, Convert.FromHexString(request.Seed), time.GetUtcNow());
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(new PendingAuditEvent("SeedRevealed", new { party, seed = request.Seed.ToLowerInvariant() })));
        }, cancellationToken);
}

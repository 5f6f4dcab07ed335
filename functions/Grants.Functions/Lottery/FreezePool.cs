using Grants.Contracts.Rounds;
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

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Freeze a closed round's pool of eligible applications for the lottery; the pool is computed and its applications enter it in the background (Location)", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true, SuccessStatus = 202, StartsWork = true)]
public sealed class FreezePool(RequestGate gate, FreezePoolHandler handler)
{
    [Function(nameof(FreezePool))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/pool/freeze")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<FreezePool>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct)).Accepted(RoundResponses.From, r => PoolFreeze.OperationIdFor(r.State)), cancellationToken);
}

/// <summary>
/// Ministry staff ask for a closed round's pool to be frozen: the round records the request (PoolFreezing) with its
/// event, and the pool is computed from every application of the round in the background (<see cref="PoolFreeze"/>),
/// whose operation says whether it was frozen or refused and why. Asking again while it is being frozen, or once it is,
/// answers with the same operation.
/// </summary>
public sealed class FreezePoolHandler(CommandExecutor commands, RoundStore rounds, TimeProvider time)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            if (!round.RequestPoolFreeze(time.GetUtcNow()))
            {
                return Commit<RoundData>.Unchanged(stored);
            }

            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(),
                Change.Of(new PendingAuditEvent("PoolFreezeRequested", new { requestedAt = round.Data.PoolFreezeRequestedAt }))
                    .Raising(new OutboxEvent(RoundEvents.PoolFreezeRequested, PoolFreeze.DistinctionOf(round.Data))));
        }, cancellationToken);
}

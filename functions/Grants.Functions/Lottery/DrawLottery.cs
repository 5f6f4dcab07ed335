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

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Draw: once every committed seed is revealed, the frozen pool is ordered, the budget allocated, every assignment probability computed and the protocol stored write-once in the background (Location); then, unless the balance check holds it, each applicant is told", Tag = "Lottery", Response = typeof(LotteryStatusResponse), ReturnsETag = true, SuccessStatus = 202, StartsWork = true)]
public sealed class DrawLottery(RequestGate gate, DrawLotteryHandler handler)
{
    [Function(nameof(DrawLottery))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/draw")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DrawLottery>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct)).Accepted(LotteryResponses.From, r => DrawWork.OperationIdFor(r.State)), cancellationToken);
}

/// <summary>
/// Ministry staff ask for the draw (docs/design.md §4): the round checks that every committed seed is revealed and records
/// the request (Drawing) with its event; the protocol is computed from the frozen pool and the seeds, as of that moment,
/// in the background (<see cref="DrawWork"/>), whose operation then publishes it unless the balance check holds it.
/// Asking again while it is being drawn answers with the same operation.
/// </summary>
public sealed class DrawLotteryHandler(CommandExecutor commands, RoundStore rounds, TimeProvider time)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            if (!round.RequestDraw(time.GetUtcNow()))
            {
                return Commit<RoundData>.Unchanged(stored);
            }

            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(),
                Change.Of(new PendingAuditEvent("LotteryDrawRequested", new { requestedAt = round.Data.DrawRequestedAt }))
                    .Raising(new OutboxEvent(RoundEvents.DrawRequested, DrawWork.DistinctionOf(round.Data))));
        }, cancellationToken);
}

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
[ApiOperation("Publish a draw the balance check held, saying why it may go ahead; applicants are then told their outcome in the background (Location)", Tag = "Lottery", Request = typeof(ConfirmPublicationRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true, SuccessStatus = 202, StartsWork = true)]
public sealed class ConfirmLotteryPublication(RequestGate gate, ConfirmLotteryPublicationHandler handler)
{
    [Function(nameof(ConfirmLotteryPublication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/publish")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ConfirmLotteryPublication, ConfirmPublicationRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Accepted(LotteryResponses.From, DrawPublication.OperationIdIfPublished), cancellationToken);
}

/// <summary>Publishes a draw the balance check held, with ministry staff's note why it may go ahead; then it is published in the background (<see cref="DrawPublication"/>).</summary>
public sealed class ConfirmLotteryPublicationHandler(CommandExecutor commands, RoundStore rounds, TimeProvider time)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, ConfirmPublicationRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            round.ConfirmPublication(request.Note, time.GetUtcNow());
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(new PendingAuditEvent("LotteryPublicationConfirmed", new { note = request.Note.Trim() }))
                .Raising(new OutboxEvent(RoundEvents.DrawPublished)));
        }, cancellationToken);
}

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
[ApiOperation("Publish a draw the balance check held, saying why it may go ahead; applicants are then told their outcome", Tag = "Lottery", Request = typeof(ConfirmPublicationRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class ConfirmLotteryPublication(RequestGate gate, ConfirmLotteryPublicationHandler handler)
{
    [Function(nameof(ConfirmLotteryPublication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/publish")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ConfirmLotteryPublication, ConfirmPublicationRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Ok(LotteryResponses.From), cancellationToken);
}

/// <summary>Publishes a draw the balance check held, with ministry staff's note why it may go ahead; then every pool member is told its outcome.</summary>
public sealed class ConfirmLotteryPublicationHandler(CommandExecutor commands, RoundStore rounds, DrawPublication publication, TimeProvider time)
{
    public async Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, ConfirmPublicationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var confirmed = await commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            round.ConfirmPublication(request.Note, time.GetUtcNow());
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(new PendingAuditEvent("LotteryPublicationConfirmed", new { note = request.Note.Trim() }))
                .Raising(new OutboxEvent(RoundEvents.DrawPublished)));
        }, cancellationToken);

        // Also when an earlier attempt of this request confirmed and stopped while telling the pool.
        if (confirmed.Value is { } saved)
        {
            await publication.PublishIfDueAsync(saved.State, protocol: null, pool: null, cancellationToken);
        }

        return confirmed;
    }
}

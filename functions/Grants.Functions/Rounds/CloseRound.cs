using Grants.Contracts.Rounds;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Close a round now (it also closes by itself at its closing time); every applicant is told, in the background (Location)", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true, SuccessStatus = 202, StartsWork = true)]
public sealed class CloseRound(RequestGate gate, CloseRoundHandler handler)
{
    [Function(nameof(CloseRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/close")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CloseRound>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller.AuditName, ct)).Accepted(RoundResponses.From, r => CloseRoundHandler.NoticesOperationId(r.Id)), cancellationToken);
}

/// <summary>
/// Closes a round, by hand or at its closing time (<see cref="CloseDueRounds"/>). Telling every applicant follows
/// from the closure (<see cref="RoundEvents.Closed"/>), in the name of whoever closed it. When the two meet —
/// the other wrote between this one's read and write, or closed the round before — this one answers with the
/// round as closed, and the closure is recorded and announced once.
/// </summary>
public sealed class CloseRoundHandler(CommandExecutor commands, RoundStore rounds, TimeProvider time)
{
    /// <summary>The kind of the background work that tells every applicant (done by Applications).</summary>
    public const string NoticesKind = "closure-notices";

    public static string NoticesOperationId(string roundId) => Platform.Work.OperationIds.For(NoticesKind, roundId);

    public async Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, string actor, CancellationToken cancellationToken)
    {
        try
        {
            return await CloseAsync(roundId, actor, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Someone else changed the round since it was read: decide again on the round as it now is.
            return await CloseAsync(roundId, actor, cancellationToken);
        }
    }

    private Task<Result<StoredAggregate<RoundData>>> CloseAsync(string roundId, string actor, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch: null, actor, stored =>
        {
            var round = new Round(stored.State);
            return round.Close(time.GetUtcNow())
                ? new Commit<RoundData>(round.Data, round.Data.Status.ToString(),
                    Change.Of(new PendingAuditEvent("RoundClosed", new { closedAt = round.Data.ClosedAt })).Raising(new OutboxEvent(RoundEvents.Closed)))
                : Commit<RoundData>.Unchanged(stored);
        }, cancellationToken);
}

using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Reject with reason codes; the budget goes to the next on the reserve list", Tag = "Decisions", Request = typeof(RejectRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class RejectApplication(RequestGate gate, RejectApplicationHandler handler)
{
    [Function(nameof(RejectApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/reject")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RejectApplication, RejectRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// A rejection with its reasons, kept as its decision letter. The application gives up its place
/// (<see cref="ApplicationEvents.PlaceReleased"/>): where it was drawn, its budget goes down the published reserve list.
/// </summary>
public sealed class RejectApplicationHandler(CommandExecutor commands, ApplicationStore applications, RoundStore rounds, DecisionDocuments documents, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, RejectRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(applications, applicationId, ifMatch: null, caller.AuditName, async stored =>
        {
            if (await rounds.FindAsync(stored.State.RoundId, cancellationToken) is not { } round)
            {
                return RoundStore.NotFound(stored.State.RoundId);
            }

            var application = new Application(stored.State);
            application.Reject(request.ReasonCodes, request.Note, caller.AuditName, time.GetUtcNow());
            var change = await documents.KeepAsync(application.Data, round.State, "rejection", "ApplicationRejected", cancellationToken);
            change = change.Raising(new OutboxEvent(ApplicationEvents.PlaceReleased, PlaceReleases.Rejection));
            return (Result<Commit<ApplicationData>>)new Commit<ApplicationData>(application.Data, application.Data.Status.ToString(), change);
        }, cancellationToken);
}

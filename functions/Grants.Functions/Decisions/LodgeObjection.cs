using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Object to the rejection of your application, or to its turn-down by the round's allocation method, within six weeks", Tag = "Decisions", Request = typeof(LodgeObjectionRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class LodgeObjection(RequestGate gate, LodgeObjectionHandler handler)
{
    [Function(nameof(LodgeObjection))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/objection")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<LodgeObjection, LodgeObjectionRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>The applicant objects to its rejection or turn-down; the acknowledgement goes out with the objection, in the same commit.</summary>
public sealed class LodgeObjectionHandler(CommandExecutor commands, ApplicationAccess access, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, LodgeObjectionRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.LodgeObjection(request.Grounds, time.GetUtcNow());
            return new Commit<ApplicationData>(application.Data, application.Data.Status.ToString(),
                Change.Of(new PendingAuditEvent("ObjectionLodged", application.Data.Objection), ApplicantMail.ObjectionLodged(application.Data)));
        }, cancellationToken);
}

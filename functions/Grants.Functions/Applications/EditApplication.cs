using Azure;
using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Edit your draft application", Tag = "Applications", Request = typeof(EditApplicationRequest), Response = typeof(ApplicationResponse), RequiresIfMatch = true, ReturnsETag = true)]
public sealed class EditApplication(RequestGate gate, EditApplicationHandler handler)
{
    [Function(nameof(EditApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "applications/{applicationId}")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunUpdateAsync<EditApplication, EditApplicationRequest>(request, async (caller, ifMatch, body, ct) =>
            (await handler.HandleAsync(applicationId, ifMatch, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>Replaces a draft's content, when the applicant edits the version they last read.</summary>
public sealed class EditApplicationHandler(CommandExecutor commands, ApplicationAccess access)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, ETag ifMatch, EditApplicationRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.Edit(ApplicationContents.ToDomain(request.Content));
            return ApplicationStore.Commit(application, new PendingAuditEvent("ApplicationEdited", application.Data.Content));
        }, cancellationToken);
}

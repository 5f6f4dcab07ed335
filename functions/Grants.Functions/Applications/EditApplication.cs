using Azure;
using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
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

/// <summary>
/// Replaces a draft's content, when the applicant edits the version they last read, and answers with what the
/// round would still refuse its submission for. The round's configuration is frozen while it is open, so a
/// moment-old read of it serves.
/// </summary>
public sealed class EditApplicationHandler(CommandExecutor commands, ApplicationAccess access, RoundStore rounds)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, ETag ifMatch, EditApplicationRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch, caller.AuditName, async stored =>
        {
            if (await rounds.FindRecentAsync(stored.State.RoundId, cancellationToken) is not { } round)
            {
                return RoundStore.NotFound(stored.State.RoundId);
            }

            var application = new Application(stored.State);
            application.Edit(ApplicationContents.ToDomain(request.Content), round.State.Configuration);
            return ApplicationStore.Commit(application, new PendingAuditEvent("ApplicationEdited", application.Data.Content));
        }, cancellationToken);
}

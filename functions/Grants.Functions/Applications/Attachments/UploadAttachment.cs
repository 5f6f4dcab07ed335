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

namespace Grants.Functions.Applications.Attachments;

/// <summary>PUT the file's bytes as the body (a PDF); <c>?fileName=</c> gives the name to show.</summary>
[RolesAllowed(Roles.Applicant)]
[ApiOperation("Upload the project plan or budget (PDF) of your application; the body is the file itself", Tag = "Applications", Response = typeof(ApplicationResponse), ReturnsETag = true, RawBody = true)]
public sealed class UploadAttachment(RequestGate gate, UploadAttachmentHandler handler)
{
    [Function(nameof(UploadAttachment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "applications/{applicationId}/attachments/{kind}")] HttpRequest request,
        string applicationId,
        string kind,
        CancellationToken cancellationToken) =>
        gate.RunAsync<UploadAttachment>(request, async (caller, ct) =>
            (await handler.HandleAsync(applicationId, kind, new FileUpload(request.Body, request.ContentLength), request.Query["fileName"], caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// Adds the project plan or budget to the applicant's own draft: the bytes are checked and stored first
/// (<see cref="AttachmentStore"/>), then recorded on the application. A concurrent edit of the draft does not
/// make the applicant upload the bytes again: the record is retried on the application as it then is.
/// </summary>
public sealed class UploadAttachmentHandler(ApplicationStore applications, ApplicationAccess access, AttachmentStore files, RoundStore rounds, TimeProvider time)
{
    public async Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, string kind, FileUpload upload, string? fileName, Caller caller, CancellationToken cancellationToken)
    {
        if (!AttachmentKinds.All.Contains(kind))
        {
            return Failure.NotFound($"Attachments are {string.Join(" and ", AttachmentKinds.All)}.");
        }

        if (await access.OwnedBy(caller).FindAsync(applicationId, cancellationToken) is not { } stored)
        {
            return Failure.NotFound(applications.NotFoundDetail(applicationId));
        }

        if (!new Application(stored.State).CanAttach)
        {
            throw new Domain.Common.InvalidTransitionException("application", stored.State.Status.ToString(), "add files to");
        }

        // A draft's findings are checked against its round, whose configuration is frozen while it is open.
        if (await rounds.FindRecentAsync(stored.State.RoundId, cancellationToken) is not { State.Configuration: var round })
        {
            return RoundStore.NotFound(stored.State.RoundId);
        }

        var uploaded = await files.UploadAsync(applicationId, kind, upload, cancellationToken);
        if (uploaded.Failure is { } refused)
        {
            return refused;
        }

        var file = uploaded.Value!;
        var attachment = new Attachment(kind, file.BlobName, FileNames.Sanitise(fileName, $"{kind}.pdf"), file.MediaType, file.Size, file.Sha256, time.GetUtcNow());
        Change Attach(Application application)
        {
            application.Attach(attachment, round);
            return Change.Of(new PendingAuditEvent("AttachmentAdded", attachment));
        }

        return await applications.UpdateWithRetryAsync(applicationId, a => a.CanAttach, Attach, caller.AuditName, cancellationToken) is { } saved
            ? saved
            : new Failure(ProblemKind.InvalidTransition, "The application was submitted meanwhile: its files are frozen.");
    }
}

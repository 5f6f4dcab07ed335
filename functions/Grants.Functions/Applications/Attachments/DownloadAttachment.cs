using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications.Attachments;

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Assessor)]
[ApiOperation("Download an application's project plan or budget (streamed)", Tag = "Applications", ResponseMediaType = "application/pdf")]
public sealed class DownloadAttachment(RequestGate gate, DownloadAttachmentHandler handler)
{
    [Function(nameof(DownloadAttachment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/attachments/{kind}")] HttpRequest request,
        string applicationId,
        string kind,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DownloadAttachment>(request, async (caller, ct) =>
            (await handler.HandleAsync(applicationId, kind, caller, ct)).Respond(file => TypedResults.Stream(file.Content, file.MediaType, file.FileName)), cancellationToken);
}

/// <summary>A stored file as it goes out: its bytes, streamed, with the type and the name the applicant gave it.</summary>
public sealed record FileDownload(Stream Content, string MediaType, string FileName);

/// <summary>Opens an attachment of an application the caller may see; a file destroyed at the end of its retention says so.</summary>
public sealed class DownloadAttachmentHandler(ApplicationAccess access, AttachmentStore files)
{
    public async Task<Result<FileDownload>> HandleAsync(string applicationId, string kind, Caller caller, CancellationToken cancellationToken)
    {
        if (await access.FindVisibleAsync(applicationId, caller, cancellationToken) is not { } stored
            || stored.State.Attachments.FirstOrDefault(a => a.Kind == kind) is not { } attachment)
        {
            return Failure.NotFound($"There is no {kind} file on application {applicationId} that you may see.");
        }

        if (stored.State.PersonalDataErasedAt is { } erased)
        {
            return Failure.NotFound($"The {kind} file was destroyed on {erased:yyyy-MM-dd} at the end of its retention period; its size and SHA-256 remain on record.");
        }

        return new FileDownload(await files.OpenReadAsync(attachment.BlobName, cancellationToken), attachment.MediaType, attachment.FileName);
    }
}

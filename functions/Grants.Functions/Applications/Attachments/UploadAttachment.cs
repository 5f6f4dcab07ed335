using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications.Attachments;

/// <summary>PUT the file's bytes as the body (a PDF); <c>?fileName=</c> gives the name to show.</summary>
[RolesAllowed(Roles.Applicant)]
[ApiOperation("Upload the project plan or budget (PDF) of your application; the body is the file itself", Tag = "Applications", Response = typeof(ApplicationResponse), ReturnsETag = true, RawBody = true)]
public sealed class UploadAttachment(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(UploadAttachment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "applications/{applicationId}/attachments/{kind}")] HttpRequest request,
        string applicationId,
        string kind,
        CancellationToken cancellationToken) =>
        gate.RunAsync<UploadAttachment>(request, (caller, ct) => handler.AttachAsync(applicationId, kind, request, caller, ct), cancellationToken);
}

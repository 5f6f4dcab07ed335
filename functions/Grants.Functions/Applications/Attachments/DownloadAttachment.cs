using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications.Attachments;

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Assessor)]
[ApiOperation("Download an application's project plan or budget (streamed)", Tag = "Applications", ResponseMediaType = "application/pdf")]
public sealed class DownloadAttachment(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(DownloadAttachment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/attachments/{kind}")] HttpRequest request,
        string applicationId,
        string kind,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DownloadAttachment>(request, (caller, ct) => handler.DownloadAsync(applicationId, kind, caller, ct), cancellationToken);
}

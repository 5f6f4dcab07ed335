using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Ask the applicant for missing information, with a deadline", Tag = "Applications", Request = typeof(RequestInformationRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class RequestInformation(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(RequestInformation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/information-requests")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RequestInformation, RequestInformationRequest>(request, (caller, body, ct) => handler.RequestInformationAsync(applicationId, body, caller, ct), cancellationToken);
}

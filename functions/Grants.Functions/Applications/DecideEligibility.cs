using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Decide whether a submitted application is eligible (ontvankelijk)", Tag = "Applications", Request = typeof(DecideEligibilityRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class DecideEligibility(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(DecideEligibility))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/eligibility")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DecideEligibility, DecideEligibilityRequest>(request, (caller, body, ct) => handler.DecideEligibilityAsync(applicationId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Reject with reason codes; the budget goes to the next on the reserve list", Tag = "Decisions", Request = typeof(RejectRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class RejectApplication(RequestGate gate, DecisionHandlers handler)
{
    [Function(nameof(RejectApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/reject")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RejectApplication, RejectRequest>(request, (caller, body, ct) => handler.RejectAsync(applicationId, body, caller, ct), cancellationToken);
}

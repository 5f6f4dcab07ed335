using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Decide an objection: upheld returns the application to the award path; dismissed makes the rejection final", Tag = "Decisions", Request = typeof(DecideObjectionRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class DecideObjection(RequestGate gate, DecisionHandlers handler)
{
    [Function(nameof(DecideObjection))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/objection/decision")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DecideObjection, DecideObjectionRequest>(request, (caller, body, ct) => handler.DecideObjectionAsync(applicationId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Object to the rejection of your application, within six weeks", Tag = "Decisions", Request = typeof(LodgeObjectionRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class LodgeObjection(RequestGate gate, DecisionHandlers handler)
{
    [Function(nameof(LodgeObjection))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/objection")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<LodgeObjection, LodgeObjectionRequest>(request, (caller, body, ct) => handler.LodgeObjectionAsync(applicationId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Second approval of a proposed award, by another ministry member than the proposer", Tag = "Decisions", Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class ApproveAward(RequestGate gate, DecisionHandlers handler)
{
    [Function(nameof(ApproveAward))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/award/approve")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ApproveAward>(request, async (caller, ct) =>
        {
            return await handler.ApproveAsync(applicationId, caller, ct);
        }, cancellationToken);
}

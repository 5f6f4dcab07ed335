using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Award a selected application (committed through the budget ledger; above the four-eyes threshold only proposed)", Tag = "Decisions", Request = typeof(AwardRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class AwardApplication(RequestGate gate, DecisionHandlers handler)
{
    [Function(nameof(AwardApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/award")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AwardApplication, AwardRequest>(request, (caller, body, ct) => handler.AwardAsync(applicationId, body, caller, ct), cancellationToken);
}

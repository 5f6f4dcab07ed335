using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Start your organisation's application in an open round (one per organisation per round)", Tag = "Applications", Request = typeof(StartApplicationRequest), Response = typeof(ApplicationResponse), SuccessStatus = 201, ReturnsETag = true)]
public sealed class StartApplication(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(StartApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/applications")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunCreateAsync<StartApplication, StartApplicationRequest>(request, (caller, body, ct) => handler.StartAsync(roundId, body, caller, ct), cancellationToken);
}

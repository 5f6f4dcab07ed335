using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Submit your application: you get a receipt number and an email", Tag = "Applications", Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class SubmitApplication(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(SubmitApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/submit")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<SubmitApplication>(request, async (caller, ct) =>
        {
            return await handler.SubmitAsync(applicationId, caller, ct);
        }, cancellationToken);
}

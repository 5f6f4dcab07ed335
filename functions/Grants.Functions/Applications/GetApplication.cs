using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Assessor)]
[ApiOperation("Read an application: your own; as an assessor, one assigned to you without conflict; any for the ministry", Tag = "Applications", Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class GetApplication(RequestGate gate, ApplicationQueries queries)
{
    [Function(nameof(GetApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetApplication>(request, (caller, ct) => queries.GetAsync(applicationId, caller, ct), cancellationToken);
}

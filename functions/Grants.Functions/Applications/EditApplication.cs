using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Edit your draft application", Tag = "Applications", Request = typeof(EditApplicationRequest), Response = typeof(ApplicationResponse), RequiresIfMatch = true, ReturnsETag = true)]
public sealed class EditApplication(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(EditApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "applications/{applicationId}")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunUpdateAsync<EditApplication, EditApplicationRequest>(request, (caller, ifMatch, body, ct) => handler.EditAsync(applicationId, ifMatch, body, caller, ct), cancellationToken);
}

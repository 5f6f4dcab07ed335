using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Withdraw your application while it is not yet decided", Tag = "Applications", Request = typeof(WithdrawApplicationRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class WithdrawApplication(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(WithdrawApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/withdraw")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<WithdrawApplication, WithdrawApplicationRequest>(request, (caller, body, ct) => handler.WithdrawAsync(applicationId, body, caller, ct), cancellationToken);
}

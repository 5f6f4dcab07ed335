using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Answer an open request for information", Tag = "Applications", Request = typeof(InformationAnswerRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class AnswerInformationRequest(RequestGate gate, ApplicationHandlers handler)
{
    [Function(nameof(AnswerInformationRequest))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/information-requests/{requestId}/answer")] HttpRequest request,
        string applicationId,
        string requestId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AnswerInformationRequest, InformationAnswerRequest>(request, (caller, body, ct) => handler.AnswerInformationRequestAsync(applicationId, requestId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Accept or decline your award before its deadline", Tag = "Decisions", Request = typeof(AnswerAwardRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class AnswerAward(RequestGate gate, DecisionHandlers handler)
{
    [Function(nameof(AnswerAward))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/award/answer")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AnswerAward, AnswerAwardRequest>(request, (caller, body, ct) => handler.AnswerAsync(applicationId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Assessor)]
[ApiOperation("The chair records the committee's advice once every member has scored", Tag = "Assessment", Request = typeof(AdviceRequest), Response = typeof(AssessmentResponse))]
public sealed class RecordAdvice(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(RecordAdvice))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/advice")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RecordAdvice, AdviceRequest>(request, (caller, body, ct) => handler.AdviseAsync(assessmentId, body, caller, ct), cancellationToken);
}

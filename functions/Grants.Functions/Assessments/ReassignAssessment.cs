using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Move an assessment from one member to another, with a reason", Tag = "Assessment", Request = typeof(ReassignRequest), Response = typeof(AssessmentResponse))]
public sealed class ReassignAssessment(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(ReassignAssessment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/reassign")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ReassignAssessment, ReassignRequest>(request, (caller, body, ct) => handler.ReassignAsync(assessmentId, body, caller, ct), cancellationToken);
}

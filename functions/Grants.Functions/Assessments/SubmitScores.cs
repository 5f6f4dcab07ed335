using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Assessor)]
[ApiOperation("Submit your scores, each with a written justification; they cannot be changed afterwards", Tag = "Assessment", Request = typeof(SubmitScoresRequest), Response = typeof(AssessmentResponse))]
public sealed class SubmitScores(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(SubmitScores))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/scores")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<SubmitScores, SubmitScoresRequest>(request, (caller, body, ct) => handler.SubmitScoresAsync(assessmentId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Assessor)]
[ApiOperation("Correct one of your score sheets: a new sheet linked to the one it corrects", Tag = "Assessment", Request = typeof(SubmitScoresRequest), Response = typeof(AssessmentResponse))]
public sealed class CorrectScores(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(CorrectScores))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/scores/{sheetId}/corrections")] HttpRequest request,
        string assessmentId,
        string sheetId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CorrectScores, SubmitScoresRequest>(request, (caller, body, ct) => handler.CorrectAsync(assessmentId, sheetId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry, Roles.Assessor)]
[ApiOperation("Read an assessment: other members' scores only once every member has scored; never for a conflicted member", Tag = "Assessment", Response = typeof(AssessmentResponse))]
public sealed class GetAssessment(RequestGate gate, AssessmentAccess access)
{
    [Function(nameof(GetAssessment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assessments/{assessmentId}")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetAssessment>(request, async (caller, ct) =>
            (await access.VisibleAsync(assessmentId, caller, ct)).Ok(view => AssessmentResponses.From(view, caller)), cancellationToken);
}

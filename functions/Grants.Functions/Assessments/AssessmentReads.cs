using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("A round's committee, criteria and declared conflicts", Tag = "Assessment", Response = typeof(CommitteeResponse))]
public sealed class GetCommittee(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(GetCommittee))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/committee")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetCommittee>(request, (_, ct) => handler.CommitteeAsync(roundId, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry, Roles.Assessor)]
[ApiOperation("Read an assessment: other members' scores only once every member has scored; never for a conflicted member", Tag = "Assessment", Response = typeof(AssessmentResponse))]
public sealed class GetAssessment(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(GetAssessment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assessments/{assessmentId}")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetAssessment>(request, (caller, ct) => handler.GetAsync(assessmentId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Assessor)]
[ApiOperation("Your assessments, in processing order", Tag = "Assessment", Response = typeof(IReadOnlyList<AssessmentResponse>))]
public sealed class ListMyAssessments(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(ListMyAssessments))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assessors/me/assessments")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListMyAssessments>(request, (caller, ct) => handler.MineAsync(caller, ct), cancellationToken);
}

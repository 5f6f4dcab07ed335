using Grants.Contracts.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Assign every selected application, in processing order, to two committee members free of conflicts, balancing the load", Tag = "Assessment", Response = typeof(AssignmentResponse))]
public sealed class AssignAssessments(RequestGate gate, AssessmentHandlers handler)
{
    [Function(nameof(AssignAssessments))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/assessments/assign")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AssignAssessments>(request, async (caller, ct) =>
        {
            return await handler.AssignAsync(roundId, caller, ct);
        }, cancellationToken);
}

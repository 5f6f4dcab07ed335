using Grants.Contracts.Assessments;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Assign every selected application, in processing order, to two committee members free of conflicts, balancing the load", Tag = "Assessment", Response = typeof(AssignmentResponse))]
public sealed class AssignAssessments(RequestGate gate, AssignAssessmentsHandler handler)
{
    [Function(nameof(AssignAssessments))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/assessments/assign")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AssignAssessments>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct)).Ok(assignment => assignment), cancellationToken);
}

/// <summary>
/// Assigns, to members free of conflicts, every application the committee should now assess: in
/// "lottery then assess" rounds the selected ones in processing (rank) order; in "assess then
/// lottery" rounds every eligible one before the pool freezes, in order of submission.
/// </summary>
public sealed class AssignAssessmentsHandler(CommitteeStore committees, RoundStore rounds, ApplicationStore applications, AssessmentAssignment assignment)
{
    public async Task<Result<AssignmentResponse>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await committees.OfRoundAsync(roundId, cancellationToken) is not { } committee)
        {
            return CommitteeStore.NoCommittee(roundId);
        }

        if (await rounds.FindAsync(roundId, cancellationToken) is not { } round)
        {
            return RoundStore.NotFound(roundId);
        }

        return await assignment.AssignAsync(round.State, committee.State, await applications.OfRoundAsync(roundId, cancellationToken), caller.AuditName, cancellationToken);
    }
}

using System.Text.Json;
using Grants.Contracts.Operations;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Assign every application the committee should now assess, in processing order, to two committee members free of conflicts, balancing the load; in the background (Location), where those too few members can take are listed as skipped",
    Tag = "Assessment", Response = typeof(OperationResponse), SuccessStatus = 202, StartsWork = true)]
public sealed class AssignAssessments(RequestGate gate, AssignAssessmentsHandler handler)
{
    [Function(nameof(AssignAssessments))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/assessments/assign")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AssignAssessments>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct))
            .Respond(operation => TypedResults.Accepted(OperationIds.Location(operation.Id), operation)), cancellationToken);
}

/// <summary>
/// Starts the assignment (<see cref="AssessmentAssignmentWork"/>) once the round has a committee. Each request is an
/// assignment of its own; a second one, or one running beside it, leaves every assessment already made as it is.
/// </summary>
public sealed class AssignAssessmentsHandler(CommitteeStore committees, RoundStore rounds, BackgroundOperations operations)
{
    public async Task<Result<OperationResponse>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await committees.OfRoundAsync(roundId, cancellationToken) is null)
        {
            return CommitteeStore.NoCommittee(roundId);
        }

        if (await rounds.FindAsync(roundId, cancellationToken) is null)
        {
            return RoundStore.NotFound(roundId);
        }

        var id = await operations.StartAsync(AssessmentAssignmentWork.Kind, roundId, BackgroundOperations.NewDistinction(), caller.AuditName, cancellationToken);
        return (await operations.FindAsync(id, cancellationToken))!;
    }
}

/// <summary>
/// The assignment in the background: planned at once for the whole round (each choice depends on the load the ones
/// before it left), then each assessment created in its batch; what too few members can take is skipped, and said.
/// </summary>
public sealed class AssessmentAssignmentWork(CommitteeStore committees, RoundStore rounds, ApplicationStore applications, AssessmentStore assessments, AssessmentAssignment assignment)
    : IBatchWork
{
    public const string Kind = "assessment-assignment";

    string IBatchWork.Kind => Kind;

    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var committee = await committees.OfRoundAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} has no committee.");
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        var (planned, stuck) = AssessmentAssignment.Plan(round.State, committee.State, await applications.OfRoundAsync(operation.RoundId, cancellationToken),
            await assessments.OfRoundAsync(operation.RoundId, cancellationToken));
        return new WorkPlan(planned.Select(p => JsonSerializer.Serialize(p)).ToList(), stuck);
    }

    public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken) =>
        Platform.Storage.Fanout.ForEachAsync(items, (item, ct) =>
            assignment.CreateAsync(operation.RoundId, JsonSerializer.Deserialize<PlannedAssessment>(item)!, operation.Actor, ct), cancellationToken);

    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.CompletedTask;
}

using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Assessments;

/// <summary>
/// Puts applications in the committee's queue: each one the round's design has assessed
/// (<see cref="Application.AwaitsAssessment"/>) and without an assessment gets one, assigned to two members
/// free of conflicts and below the committee's cap, the loads as even as they can be, in processing (rank) order. The ministry runs it for the whole
/// round; every cut-off change runs it for the applications it moved up the reserve list, so that they are
/// assessed like those the draw selected.
/// </summary>
public sealed class AssessmentAssignment(CommandExecutor commands, AssessmentStore assessments, CommitteeStore committees, ApplicationStore applications)
{
    /// <summary>Who assigns the applications a cut-off change moved up: the round's procedure, not the person whose change it was.</summary>
    public const string ReserveListActor = "system:reserve-list";

    /// <summary>
    /// The assignments to make, in processing order: each candidate the round's design has assessed and without an
    /// assessment, with two members free of conflicts and below the committee's cap, as <see cref="AssignmentPlanner"/>
    /// plans them over all of them together; and those no assignment can give two such members, each with why.
    /// </summary>
    public static (IReadOnlyList<PlannedAssessment> Planned, IReadOnlyList<string> Stuck) Plan(
        RoundData round, CommitteeData committee, IEnumerable<StoredAggregate<ApplicationData>> candidates, IReadOnlyList<StoredAggregate<AssessmentData>> existing)
    {
        var assessed = existing.Select(e => e.State.ApplicationId).ToHashSet(StringComparer.Ordinal);
        var queue = candidates
            .Where(a => new Application(a.State).AwaitsAssessment(round.Configuration) && !assessed.Contains(a.Id))
            .OrderBy(a => a.State.Outcome?.Stratum ?? "", StringComparer.Ordinal).ThenBy(a => a.State.Outcome?.Rank ?? 0).ThenBy(a => a.State.SubmittedAt)
            .ToList();
        var plan = AssignmentPlanner.Plan(committee, [.. queue.Select(a => new AssignmentCandidate(a.Id, a.State.Applicant.Kvk))], Load(existing), SeedOf(round));
        var byId = queue.ToDictionary(a => a.Id, StringComparer.Ordinal);
        return (
            [.. plan.Assigned.Select(p => new PlannedAssessment(p.ApplicationId, byId[p.ApplicationId].State.Applicant.Kvk, byId[p.ApplicationId].State.Outcome?.Rank ?? 0, p.Members) { Why = p.Why })],
            [.. plan.Unassigned.Select(u => $"{u.ApplicationId}: {u.Why}")]);
    }

    /// <summary>What makes the plan reproducible: the round, and once drawn its protocol, which nobody knew beforehand.</summary>
    public static string SeedOf(RoundData round) => round.LotteryState.Draw is { } draw ? $"{round.Id}:{draw.ProtocolHash}" : round.Id;

    /// <summary>Creates the planned assessment unless the application has one (assigned meanwhile by a concurrent run, which then stands).</summary>
    /// <returns>Whether this call created it.</returns>
    public async Task<bool> CreateAsync(string roundId, PlannedAssessment planned, string actor, CancellationToken cancellationToken)
    {
        var assessment = Assessment.Assign(planned.ApplicationId, roundId, planned.Kvk, planned.Rank, planned.Members);
        var created = await commands.CreateAsync(assessments, assessment.Data.Id, actor,
            () => AssessmentStore.Created(assessment, new PendingAuditEvent("AssessmentAssigned", new { members = planned.Members, rank = assessment.Data.Rank, why = planned.Why })), cancellationToken);
        return created.Value is not null;
    }

    /// <summary>Assigns the candidates now, one after another (a few applications a cut-off change or an objection moved up).</summary>
    public async Task AssignAsync(RoundData round, CommitteeData committee, IEnumerable<StoredAggregate<ApplicationData>> candidates, string actor, CancellationToken cancellationToken)
    {
        var (planned, _) = Plan(round, committee, candidates, await assessments.OfRoundAsync(round.Id, cancellationToken));
        foreach (var assessment in planned)
        {
            await CreateAsync(round.Id, assessment, actor, cancellationToken);
        }
    }

    /// <summary>Who assigns an application whose rejection was revoked on objection: the objection procedure.</summary>
    public const string ObjectionActor = "system:objection";

    /// <summary>
    /// After a cut-off change, or an upheld objection: the applications it selected join the committee's queue
    /// (those already assessed keep their assessment). Until the round has a committee there is no queue; the
    /// ministry's assignment finds them later.
    /// </summary>
    public async Task AssignMovedUpAsync(RoundData round, IReadOnlyList<string> applicationIds, CancellationToken cancellationToken, string actor = ReserveListActor)
    {
        if (applicationIds.Count == 0 || !round.Configuration.AssessesAfterDraw || await committees.OfRoundAsync(round.Id, cancellationToken) is not { } committee)
        {
            return;
        }

        var movedUp = new List<StoredAggregate<ApplicationData>>();
        foreach (var id in applicationIds)
        {
            if (await applications.FindAsync(id, cancellationToken) is { } application)
            {
                movedUp.Add(application);
            }
        }

        await AssignAsync(round, committee.State, movedUp, actor, cancellationToken);
    }

    /// <summary>How many assessments each member holds.</summary>
    public static Dictionary<string, int> Load(IEnumerable<StoredAggregate<AssessmentData>> assessments) =>
        assessments.SelectMany(a => a.State.Members).GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>One application's assignment as planned: the members chosen for it, why, and its place in the processing order.</summary>
public sealed record PlannedAssessment(
    [property: System.Text.Json.Serialization.JsonPropertyName("a")] string ApplicationId,
    [property: System.Text.Json.Serialization.JsonPropertyName("k")] string Kvk,
    [property: System.Text.Json.Serialization.JsonPropertyName("r")] int Rank,
    [property: System.Text.Json.Serialization.JsonPropertyName("m")] IReadOnlyList<string> Members)
{
    /// <summary>Why these members (<see cref="AssignmentPlanner"/>), recorded with the assignment.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("w")]
    public string? Why { get; init; }
}

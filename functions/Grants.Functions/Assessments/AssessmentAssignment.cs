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
/// free of conflicts, the least loaded first, in processing (rank) order. The ministry runs it for the whole
/// round; every cut-off change runs it for the applications it moved up the reserve list, so that they are
/// assessed like those the draw selected.
/// </summary>
public sealed class AssessmentAssignment(CommandExecutor commands, AssessmentStore assessments, CommitteeStore committees, ApplicationStore applications)
{
    /// <summary>Who assigns the applications a cut-off change moved up: the round's procedure, not the person whose change it was.</summary>
    public const string ReserveListActor = "system:reserve-list";

    /// <summary>
    /// The assignments to make, in processing order: each candidate the round's design has assessed and without an
    /// assessment, with the two members free of conflicts that are least loaded at its turn; and those that too few
    /// members can take.
    /// </summary>
    public static (IReadOnlyList<PlannedAssessment> Planned, IReadOnlyList<string> Stuck) Plan(
        RoundData round, CommitteeData committee, IEnumerable<StoredAggregate<ApplicationData>> candidates, IReadOnlyList<StoredAggregate<AssessmentData>> existing)
    {
        var load = Load(existing);
        var assessed = existing.Select(e => e.State.ApplicationId).ToHashSet(StringComparer.Ordinal);
        var planned = new List<PlannedAssessment>();
        var stuck = new List<string>();
        var queue = candidates
            .Where(a => new Application(a.State).AwaitsAssessment(round.Configuration) && !assessed.Contains(a.Id))
            .OrderBy(a => a.State.Outcome?.Stratum ?? "", StringComparer.Ordinal).ThenBy(a => a.State.Outcome?.Rank ?? 0).ThenBy(a => a.State.SubmittedAt);
        foreach (var application in queue)
        {
            if (AssignmentPlanner.Choose(committee, application.Id, application.State.Applicant.Kvk, load) is { } members)
            {
                planned.Add(new PlannedAssessment(application.Id, application.State.Applicant.Kvk, application.State.Outcome?.Rank ?? 0, members));
            }
            else
            {
                stuck.Add(application.Id);
            }
        }

        return (planned, stuck);
    }

    /// <summary>Creates the planned assessment unless the application has one (assigned meanwhile by a concurrent run, which then stands).</summary>
    /// <returns>Whether this call created it.</returns>
    public async Task<bool> CreateAsync(string roundId, PlannedAssessment planned, string actor, CancellationToken cancellationToken)
    {
        var assessment = Assessment.Assign(planned.ApplicationId, roundId, planned.Kvk, planned.Rank, planned.Members);
        var created = await commands.CreateAsync(assessments, assessment.Data.Id, actor,
            () => AssessmentStore.Created(assessment, new PendingAuditEvent("AssessmentAssigned", new { members = planned.Members, rank = assessment.Data.Rank })), cancellationToken);
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

/// <summary>One application's assignment as planned: the members chosen for it and its place in the processing order.</summary>
public sealed record PlannedAssessment(
    [property: System.Text.Json.Serialization.JsonPropertyName("a")] string ApplicationId,
    [property: System.Text.Json.Serialization.JsonPropertyName("k")] string Kvk,
    [property: System.Text.Json.Serialization.JsonPropertyName("r")] int Rank,
    [property: System.Text.Json.Serialization.JsonPropertyName("m")] IReadOnlyList<string> Members);

using Grants.Contracts.Assessments;
using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Assessments;

/// <summary>Committees (one per round) and assessments (one per application), as aggregates.</summary>
public sealed class AssessmentStores(AggregateStore store)
{
    public const string CommitteeType = "committee";
    public const string AssessmentType = "assessment";

    /// <summary>The committee's audit event of a declared conflict; its payload holds the member's note.</summary>
    public const string ConflictDeclaredEvent = "ConflictDeclared";

    public static string CommitteeId(string roundId) => $"committee-{roundId}";

    public Task<StoredAggregate<CommitteeData>?> CommitteeAsync(string roundId, CancellationToken cancellationToken) =>
        store.FindAsync<CommitteeData>(CommitteeId(roundId), cancellationToken);

    public Task<StoredAggregate<AssessmentData>?> AssessmentAsync(string assessmentId, CancellationToken cancellationToken) =>
        assessmentId.StartsWith("assessment-", StringComparison.Ordinal) ? store.FindAsync<AssessmentData>(assessmentId, cancellationToken) : Task.FromResult<StoredAggregate<AssessmentData>?>(null);

    public Task<IReadOnlyList<StoredAggregate<AssessmentData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.QueryAsync<AssessmentData>(AssessmentType, $"ix_RoundId eq {roundId}", cancellationToken);

    public Task<StoredAggregate<AssessmentData>> CreateAsync(Assessment assessment, string actor, Change change, CancellationToken cancellationToken) =>
        store.CreateAsync(AssessmentType, assessment.Data.Id, assessment.Data.Status.ToString(), assessment.Data, actor, change,
            new Dictionary<string, string> { ["RoundId"] = assessment.Data.RoundId }, cancellationToken);

    public Task<StoredAggregate<AssessmentData>> SaveAsync(StoredAggregate<AssessmentData> current, Assessment assessment, string actor, PendingAuditEvent auditEvent, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, assessment.Data.Status.ToString(), assessment.Data, actor, Change.Of(auditEvent), cancellationToken);

    /// <summary>
    /// May this assessor open the application (and its files)? Only when assigned to its assessment
    /// and not conflicted — a conflict declared later closes it again.
    /// </summary>
    public async Task<bool> MayAssessAsync(Caller caller, ApplicationData application, CancellationToken cancellationToken)
    {
        if (!caller.HasRole(Roles.Assessor)
            || await AssessmentAsync(Assessment.IdFor(application.Id), cancellationToken) is not { } assessment
            || !assessment.State.Members.Contains(caller.Subject))
        {
            return false;
        }

        return await CommitteeAsync(application.RoundId, cancellationToken) is { } committee
            && !committee.State.IsConflicted(caller.Subject, application.Id, application.Applicant.Kvk);
    }

    public static IResult NotFound(string id) => Problems.Of(ProblemKind.NotFound, $"There is no assessment {id} that you may see.");

    public static CommitteeResponse ToResponse(CommitteeData committee) => new(
        committee.RoundId, committee.Chair, committee.Members,
        [.. committee.Criteria.Select(c => new CriterionDto(c.Code, c.Name, c.MinScore, c.MaxScore, c.Weight))],
        committee.PassThreshold,
        [.. committee.Conflicts.Select(c => new ConflictResponse(c.Member, c.OrganisationKvk, c.ApplicationId, c.Type, c.Note, c.DeclaredAt))]);

    /// <summary>What a caller sees: the ministry and the chair everything; a member its own sheet, and all once every member scored.</summary>
    public static AssessmentResponse ToResponse(StoredAggregate<AssessmentData> stored, CommitteeData committee, Caller caller)
    {
        var assessment = new Assessment(stored.State);
        var complete = assessment.AllMembersScored;
        var seesAll = caller.HasRole(Roles.Ministry) || caller.Subject == committee.Chair || complete;
        var sheets = stored.State.Sheets.Where(s => seesAll || s.Member == caller.Subject)
            .Select(s => new ScoreSheetResponse(s.SheetId, s.Member, [.. s.Scores.Select(x => new ScoreDto(x.Criterion, x.Score, x.Justification))], s.SubmittedAt, s.Corrects))
            .ToList();
        var aggregate = complete ? assessment.Aggregate(committee.Criteria, committee.PassThreshold) : null;
        return new AssessmentResponse(stored.Id, stored.State.ApplicationId, stored.State.RoundId, stored.State.Rank, stored.State.Status.ToString(), stored.State.Members, sheets,
            aggregate is null ? null : new AggregateResponse(aggregate.MeanByCriterion, aggregate.WeightedTotal, aggregate.Passes),
            stored.State.Advice is { } advice ? new AdviceResponse(advice.Positive, advice.Note, advice.Chair, advice.At) : null,
            stored.Version);
    }
}

using Grants.Contracts.Assessments;
using Grants.Domain.Assessments;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Assessments;

/// <summary>How committees and assessments are shown through the API: an assessment differently to each caller.</summary>
public static class AssessmentResponses
{
    public static CommitteeResponse Committee(CommitteeData committee) => new(
        committee.RoundId, committee.Chair, committee.Members,
        [.. committee.Criteria.Select(c => new CriterionDto(c.Code, c.Name, c.MinScore, c.MaxScore, c.Weight))],
        committee.PassThreshold,
        [.. committee.Conflicts.Select(c => new ConflictResponse(c.Member, c.OrganisationKvk, c.ApplicationId, c.Type, c.Note, c.DeclaredAt))],
        committee.MaxAssessmentsPerMember);

    /// <summary>What a caller sees: the ministry and the chair everything; a member its own sheet, and all once every member scored.</summary>
    public static AssessmentResponse From(AssessmentView view, Caller caller)
    {
        var (stored, committee) = view;
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

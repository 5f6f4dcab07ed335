using Grants.Domain.Applications;
using Grants.Domain.Common;
using Stateless;

namespace Grants.Domain.Assessments;

public enum AssessmentStatus
{
    Assigned,
    Scored,
    Advised,
}

public sealed record CriterionScore(string Criterion, int Score, string Justification);

/// <summary>One member's submitted scores. Never changed: a correction is a new sheet that names the one it corrects.</summary>
public sealed record ScoreSheet(string SheetId, string Member, IReadOnlyList<CriterionScore> Scores, DateTimeOffset SubmittedAt, string? Corrects);

public sealed record Reassignment(string From, string To, string Reason, DateTimeOffset At);

public sealed record Advice(bool Positive, string Note, string Chair, DateTimeOffset At);

public sealed record AssessmentData(
    string Id,
    string ApplicationId,
    string RoundId,
    string OrganisationKvk,
    int Rank,
    AssessmentStatus Status,
    IReadOnlyList<string> Members,
    IReadOnlyList<ScoreSheet> Sheets,
    IReadOnlyList<Reassignment> Reassignments,
    Advice? Advice,
    DateTimeOffset? PersonalDataErasedAt = null);

/// <summary>The committee's aggregated view: mean score per criterion and the weighted total, with the pass rule's verdict.</summary>
public sealed record AggregatedScores(IReadOnlyDictionary<string, double> MeanByCriterion, double WeightedTotal, bool Passes);

/// <summary>
/// The assessment of one application: assigned to committee members, each scoring every criterion
/// with a written justification; scored once every member has submitted; advised by the chair.
/// Scores stay hidden from the committee until all are in (no anchoring).
/// </summary>
public sealed class Assessment
{
    private readonly StateMachine<AssessmentStatus, Trigger> _machine;

    public Assessment(AssessmentData data)
    {
        Data = data;
        _machine = new StateMachine<AssessmentStatus, Trigger>(() => Data.Status, s => Data = Data with { Status = s });
        _machine.Configure(AssessmentStatus.Assigned)
            .PermitReentry(Trigger.Reassign)
            .PermitReentryIf(Trigger.SubmitScores, () => !AllMembersScored, "members still to score")
            .PermitIf(Trigger.SubmitScores, AssessmentStatus.Scored, () => AllMembersScored, "every member scored");
        _machine.Configure(AssessmentStatus.Scored)
            .PermitReentry(Trigger.Correct)
            .Permit(Trigger.Advise, AssessmentStatus.Advised);
    }

    private enum Trigger
    {
        Reassign,
        SubmitScores,
        Correct,
        Advise,
    }

    public AssessmentData Data { get; private set; }

    public bool AllMembersScored => Data.Members.All(m => Data.Sheets.Any(s => s.Member == m));

    public static string IdFor(string applicationId) => $"assessment-{applicationId}";

    public static Assessment Assign(string applicationId, string roundId, string kvk, int rank, IReadOnlyList<string> members) =>
        new(new AssessmentData(IdFor(applicationId), applicationId, roundId, kvk, rank, AssessmentStatus.Assigned, members, [], [], null));

    /// <summary>The sheet that counts for each member: the latest correction, else the original.</summary>
    public IReadOnlyList<ScoreSheet> EffectiveSheets => [.. Data.Members.Select(m => Data.Sheets.LastOrDefault(s => s.Member == m)).OfType<ScoreSheet>()];

    /// <summary>A member's scores on the committee's criteria; never a member who declared a conflict with the application (<see cref="NotPermittedException"/>).</summary>
    public ScoreSheet SubmitScores(CommitteeData committee, string member, IReadOnlyList<CriterionScore> scores, DateTimeOffset now)
    {
        var criteria = CriteriaFor(committee, member);
        if (Data.Status != AssessmentStatus.Assigned)
        {
            throw new InvalidTransitionException("assessment", Data.Status.ToString(), "submit scores for");
        }

        if (!Data.Members.Contains(member))
        {
            throw new DomainRuleException("member", "you are not assigned to this assessment");
        }

        if (Data.Sheets.Any(s => s.Member == member))
        {
            throw new DomainRuleException("scores", "your scores are submitted and cannot be changed; submit a correction that names the sheet it corrects");
        }

        Validate(scores, criteria);
        var sheet = new ScoreSheet($"sheet-{Data.Sheets.Count + 1}", member, [.. scores.Select(s => s with { Justification = s.Justification.Trim() })], now, null);
        Data = Data with { Sheets = [.. Data.Sheets, sheet] };
        _machine.Fire(Trigger.SubmitScores); // to Scored when this was the last member's sheet
        return sheet;
    }

    /// <summary>A correction after all scores are in: a new sheet linked to the one it corrects; the original stays.</summary>
    public ScoreSheet Correct(CommitteeData committee, string member, string correctsSheetId, IReadOnlyList<CriterionScore> scores, DateTimeOffset now)
    {
        var criteria = CriteriaFor(committee, member);
        var corrected = Data.Sheets.FirstOrDefault(s => s.SheetId == correctsSheetId && s.Member == member)
            ?? throw new DomainRuleException("sheetId", $"{correctsSheetId} is not one of your score sheets");
        if (EffectiveSheets.All(s => s.SheetId != corrected.SheetId))
        {
            throw new DomainRuleException("sheetId", $"{correctsSheetId} has already been corrected; correct the latest sheet");
        }

        Validate(scores, criteria);
        Fire(Trigger.Correct, "correct scores of");
        var sheet = new ScoreSheet($"sheet-{Data.Sheets.Count + 1}", member, [.. scores.Select(s => s with { Justification = s.Justification.Trim() })], now, correctsSheetId);
        Data = Data with { Sheets = [.. Data.Sheets, sheet] };
        return sheet;
    }

    /// <summary>Every step that acts with a committee in view takes the application's own, the committee of its round.</summary>
    private void ThrowIfNotItsCommittee(CommitteeData committee)
    {
        if (committee.RoundId != Data.RoundId)
        {
            throw new ArgumentException($"Assessment {Data.Id} is in round {Data.RoundId}, not the committee's {committee.RoundId}.", nameof(committee));
        }
    }

    /// <summary>
    /// The criteria <paramref name="member"/> scores on, from the application's own committee; a member who declared a
    /// conflict with the application or its organisation scores nothing, correction included.
    /// </summary>
    private IReadOnlyList<Criterion> CriteriaFor(CommitteeData committee, string member)
    {
        ThrowIfNotItsCommittee(committee);
        return committee.IsConflicted(member, Data.ApplicationId, Data.OrganisationKvk)
            ? throw new NotPermittedException("A member who declared a conflict of interest with this application does not score it.")
            : committee.Criteria;
    }

    /// <summary>
    /// Moves work from one member to another (a conflict declared after assignment, or the ministry's decision): only to a
    /// member of the application's committee who declared no conflict with it and, where the committee caps how many
    /// applications a member assesses, who holds fewer than that (<paramref name="toHolds"/>: the assessments of the round
    /// that member holds now).
    /// </summary>
    public void Reassign(CommitteeData committee, string from, string to, string reason, DateTimeOffset now, int toHolds)
    {
        ThrowIfNotItsCommittee(committee);
        if (committee.MaxAssessmentsPerMember is { } cap && toHolds >= cap)
        {
            throw new DomainRuleException("to", $"{to} already assesses {toHolds} applications, the most the committee gives one member");
        }

        if (!committee.Members.Contains(to) || committee.IsConflicted(to, Data.ApplicationId, Data.OrganisationKvk))
        {
            throw new DomainRuleException("to", $"{to} is not a committee member free of conflicts on this application");
        }

        if (!Data.Members.Contains(from) || Data.Members.Contains(to))
        {
            throw new DomainRuleException("member", $"{from} must be assigned and {to} must not be");
        }

        if (Data.Sheets.Any(s => s.Member == from))
        {
            throw new DomainRuleException("member", $"{from} has already scored; the scores stand");
        }

        Fire(Trigger.Reassign, "reassign");
        Data = Data with { Members = [.. Data.Members.Select(m => m == from ? to : m)], Reassignments = [.. Data.Reassignments, new Reassignment(from, to, reason.Trim(), now)] };
    }

    /// <summary>The committee's advice, recorded by its chair alone (<see cref="NotPermittedException"/> for anyone else), with its reasons.</summary>
    public void RecordAdvice(CommitteeData committee, string by, bool positive, string note, DateTimeOffset now)
    {
        ThrowIfNotItsCommittee(committee);
        if (by != committee.Chair)
        {
            throw new NotPermittedException("Only the committee's chair records its advice.");
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            throw new DomainRuleException("note", "the committee's advice needs its reasons");
        }

        Fire(Trigger.Advise, "record advice on");
        Data = Data with { Advice = new Advice(positive, note.Trim(), by, now) };
    }

    /// <summary>
    /// Retention: the written justifications, the advice's reasons and the reasons for reassignments are
    /// free text about the applicant's people and the members' own circumstances, and go. Scores,
    /// members, the chair, dates and the advice's verdict stay: they show how the decision was reached.
    /// </summary>
    public void ErasePersonalData(DateTimeOffset now)
    {
        if (Data.PersonalDataErasedAt is not null)
        {
            throw new InvalidTransitionException("assessment", "already erased", "erase personal data of");
        }

        Data = Data with
        {
            Sheets = [.. Data.Sheets.Select(sheet => sheet with { Scores = [.. sheet.Scores.Select(score => score with { Justification = Application.Erased })] })],
            Reassignments = [.. Data.Reassignments.Select(r => r with { Reason = Application.Erased })],
            Advice = Data.Advice is { } advice ? advice with { Note = Application.Erased } : null,
            PersonalDataErasedAt = now,
        };
    }

    /// <summary>Aggregates effective sheets; only meaningful once every member has scored.</summary>
    public AggregatedScores Aggregate(IReadOnlyList<Criterion> criteria, double passThreshold)
    {
        var sheets = EffectiveSheets;
        var means = criteria.ToDictionary(c => c.Code, c => sheets.Count == 0 ? 0 : sheets.Average(s => s.Scores.Single(x => x.Criterion == c.Code).Score));
        var total = criteria.Sum(c => c.Weight * means[c.Code]) / criteria.Sum(c => c.Weight);
        return new AggregatedScores(means, total, total >= passThreshold);
    }

    public static string Diagram() =>
        Stateless.Graph.MermaidGraph.Format(Assign("app", "round", "kvk", 1, ["a", "b"])._machine.GetInfo());

    private static void Validate(IReadOnlyList<CriterionScore> scores, IReadOnlyList<Criterion> criteria)
    {
        var errors = new List<(string, string)>();
        foreach (var score in scores)
        {
            var criterion = criteria.FirstOrDefault(c => c.Code == score.Criterion);
            if (criterion is null)
            {
                errors.Add(("scores", $"'{score.Criterion}' is not a criterion of this round"));
            }
            else if (score.Score < criterion.MinScore || score.Score > criterion.MaxScore)
            {
                errors.Add(("scores", $"'{score.Criterion}' is scored from {criterion.MinScore} to {criterion.MaxScore}, not {score.Score}"));
            }

            if (string.IsNullOrWhiteSpace(score.Justification))
            {
                errors.Add(("scores", $"'{score.Criterion}' needs a written justification"));
            }
        }

        foreach (var missing in criteria.Where(c => scores.All(s => s.Criterion != c.Code)))
        {
            errors.Add(("scores", $"'{missing.Code}' is not scored"));
        }

        if (scores.Select(s => s.Criterion).Distinct().Count() != scores.Count)
        {
            errors.Add(("scores", "score each criterion once"));
        }

        DomainRuleException.ThrowIfAny("The scores are not valid.", errors);
    }

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("assessment", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}

namespace Grants.Contracts.Assessments;

public sealed record CriterionDto(string Code, string Name, int MinScore, int MaxScore, double Weight);

/// <summary>The round's committee: chair, members (token subjects of assessors), criteria and the pass threshold (weighted mean).</summary>
/// <param name="MaxAssessmentsPerMember">How many applications one member assesses at most in the round; left out: no cap.</param>
public sealed record SetCommitteeRequest(string Chair, IReadOnlyList<string> Members, IReadOnlyList<CriterionDto> Criteria, double PassThreshold, int? MaxAssessmentsPerMember = null) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        foreach (var error in TextRules.SingleLine("chair", Chair, 200))
        {
            yield return error;
        }

        if (Members.Any(m => string.IsNullOrWhiteSpace(m) || TextRules.HasControlCharacters(m)))
        {
            yield return ("members", "members are assessors' user ids, single lines");
        }

        foreach (var criterion in Criteria)
        {
            foreach (var error in TextRules.SingleLine("criteria.code", criterion.Code, 50).Concat(TextRules.SingleLine("criteria.name", criterion.Name, 200)))
            {
                yield return error;
            }
        }
    }
}

public sealed record ConflictResponse(string Member, string? OrganisationKvk, string? ApplicationId, [property: ClosedSet("conflict-type")] string Type, string Note, DateTimeOffset DeclaredAt);

public sealed record CommitteeResponse(string RoundId, string Chair, IReadOnlyList<string> Members, IReadOnlyList<CriterionDto> Criteria, double PassThreshold, IReadOnlyList<ConflictResponse> Conflicts, int? MaxAssessmentsPerMember = null);

/// <summary>Declare your own conflict with an organisation (KvK) or one application; type employer|financial|family|adviser|other.</summary>
public sealed record DeclareConflictRequest(string? OrganisationKvk, string? ApplicationId, [property: ClosedSet("conflict-type")] string Type, string Note) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Note.Length > 2000)
        {
            yield return ("note", "must be at most 2000 characters");
        }
    }
}

public sealed record ScoreDto(string Criterion, int Score, string Justification);

public sealed record SubmitScoresRequest(IReadOnlyList<ScoreDto> Scores) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Scores.Any(s => s.Justification.Length > 4000))
        {
            yield return ("scores", "justifications are at most 4000 characters");
        }
    }
}

public sealed record AdviceRequest(bool Positive, string Note);

public sealed record ReassignRequest(string From, string To, string Reason) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => TextRules.SingleLine("reason", Reason, 1000);
}

public sealed record ScoreSheetResponse(string SheetId, string Member, IReadOnlyList<ScoreDto> Scores, DateTimeOffset SubmittedAt, string? Corrects);

public sealed record AggregateResponse(IReadOnlyDictionary<string, double> MeanByCriterion, double WeightedTotal, bool Passes);

public sealed record AdviceResponse(bool Positive, string Note, string Chair, DateTimeOffset At);

/// <summary>An assessment as the caller may see it: other members' sheets and the aggregate only once every member has scored.</summary>
public sealed record AssessmentResponse(
    string Id,
    string ApplicationId,
    string RoundId,
    int Rank,
    [property: ClosedSet("assessment-status")] string Status,
    IReadOnlyList<string> Members,
    IReadOnlyList<ScoreSheetResponse> Sheets,
    AggregateResponse? Aggregate,
    AdviceResponse? Advice,
    long Version);

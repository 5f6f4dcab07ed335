using Grants.Domain.Common;

namespace Grants.Domain.Assessments;

/// <summary>A criterion the committee scores on: an integer scale and a weight in the total.</summary>
public sealed record Criterion(string Code, string Name, int MinScore, int MaxScore, double Weight);

public static class ConflictTypes
{
    public static IReadOnlyList<string> All { get; } = ["employer", "financial", "family", "adviser", "other"];
}

/// <summary>A member's declared conflict of interest with an organisation (by KvK) or one application.</summary>
public sealed record ConflictOfInterest(string Member, string? OrganisationKvk, string? ApplicationId, string Type, string Note, DateTimeOffset DeclaredAt);

/// <summary>
/// A round's assessment committee (<i>toetsingscommissie</i>): members, chair, criteria, pass rule
/// (weighted mean score at least <see cref="PassThreshold"/>), and the conflicts its members declared.
/// </summary>
public sealed record CommitteeData(
    string RoundId,
    string Chair,
    IReadOnlyList<string> Members,
    IReadOnlyList<Criterion> Criteria,
    double PassThreshold,
    IReadOnlyList<ConflictOfInterest> Conflicts,
    DateTimeOffset? PersonalDataErasedAt = null,
    int? MaxAssessmentsPerMember = null)
{
    public bool IsMember(string subject) => Members.Contains(subject) || Chair == subject;

    public bool IsConflicted(string member, string applicationId, string organisationKvk) =>
        Conflicts.Any(c => c.Member == member && (c.ApplicationId == applicationId || c.OrganisationKvk == organisationKvk));
}

public static class Committee
{
    public const int AssessorsPerApplication = 2;

    /// <param name="maxAssessmentsPerMember">How many applications one member assesses at most in the round; null: no cap.</param>
    public static CommitteeData Constitute(string roundId, string chair, IReadOnlyList<string> members, IReadOnlyList<Criterion> criteria, double passThreshold, IReadOnlyList<ConflictOfInterest> keptConflicts,
        int? maxAssessmentsPerMember = null)
    {
        DomainRuleException.ThrowIfAny("The committee is not valid.", Problems(chair, members, criteria, passThreshold));
        if (maxAssessmentsPerMember is < 1)
        {
            throw new DomainRuleException("maxAssessmentsPerMember", "must be at least 1, or left out for no cap");
        }

        return new CommitteeData(roundId, chair.Trim(), [.. members.Select(m => m.Trim()).Distinct()], criteria, passThreshold, keptConflicts, MaxAssessmentsPerMember: maxAssessmentsPerMember);
    }

    /// <summary>
    /// Retention, once every file of the round is erased: the notes on declared conflicts (whose
    /// brother-in-law leads which project) go. Who declared a conflict with whom, its type and date
    /// stay, since they show why a member did not assess an application.
    /// </summary>
    public static CommitteeData ErasePersonalData(CommitteeData committee, DateTimeOffset now) =>
        committee.PersonalDataErasedAt is not null
            ? throw new InvalidTransitionException("committee", "already erased", "erase personal data of")
            : committee with { Conflicts = [.. committee.Conflicts.Select(c => c with { Note = Applications.Application.Erased })], PersonalDataErasedAt = now };

    public static CommitteeData DeclareConflict(CommitteeData committee, ConflictOfInterest conflict)
    {
        if (!committee.IsMember(conflict.Member))
        {
            throw new DomainRuleException("member", "only committee members declare conflicts of interest");
        }

        if ((conflict.OrganisationKvk is null) == (conflict.ApplicationId is null))
        {
            throw new DomainRuleException("target", "name either an organisation (KvK) or an application");
        }

        if (!ConflictTypes.All.Contains(conflict.Type))
        {
            throw new DomainRuleException("type", $"must be one of: {string.Join(", ", ConflictTypes.All)}");
        }

        return committee with { Conflicts = [.. committee.Conflicts, conflict with { Note = conflict.Note.Trim() }] };
    }

    private static IEnumerable<(string, string)> Problems(string chair, IReadOnlyList<string> members, IReadOnlyList<Criterion> criteria, double passThreshold)
    {
        if (string.IsNullOrWhiteSpace(chair))
        {
            yield return ("chair", "is required");
        }

        if (members.Distinct().Count() < AssessorsPerApplication)
        {
            yield return ("members", $"a committee needs at least {AssessorsPerApplication} members");
        }

        if (criteria.Count == 0)
        {
            yield return ("criteria", "give at least one criterion");
        }

        if (criteria.Select(c => c.Code).Distinct().Count() != criteria.Count)
        {
            yield return ("criteria", "criterion codes must be unique");
        }

        foreach (var criterion in criteria.Where(c => c.MinScore >= c.MaxScore || c.Weight <= 0))
        {
            yield return ("criteria", $"'{criterion.Code}' needs a scale with min below max and a positive weight");
        }

        if (criteria.Count > 0 && (passThreshold < criteria.Min(c => c.MinScore) || passThreshold > criteria.Max(c => c.MaxScore)))
        {
            yield return ("passThreshold", "must lie within the criteria's scales");
        }
    }
}

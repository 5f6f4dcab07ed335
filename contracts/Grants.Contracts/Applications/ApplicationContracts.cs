using System.ComponentModel;

namespace Grants.Contracts.Applications;

public sealed record AdviserDto(string Firm, string Contact, string? Email = null);

/// <summary>The applicant's editable fields; amounts in euro cents, dates as yyyy-MM-dd.</summary>
public sealed record ApplicationContentDto(
    string Title,
    string Summary,
    [property: ClosedSet("theme")] IReadOnlyList<string> Themes,
    long RequestedAmountCents,
    DateOnly? StartDate,
    int? DurationMonths,
    long CoFinancingCents,
    AdviserDto? Adviser,
    bool ConsentToFollowUp) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Title.Length > 200 || TextRules.HasControlCharacters(Title))
        {
            yield return ("title", "must be a single line of at most 200 characters");
        }

        if (Summary.Length > 4000)
        {
            yield return ("summary", "must be at most 4000 characters");
        }

        if (RequestedAmountCents < 0)
        {
            yield return ("requestedAmountCents", "must not be negative");
        }

        if (CoFinancingCents < 0)
        {
            yield return ("coFinancingCents", "must not be negative");
        }

        if (Themes.Count > 20)
        {
            yield return ("themes", "at most 20 themes");
        }

        if (Adviser is { } adviser)
        {
            foreach (var error in TextRules.SingleLine("adviser.firm", adviser.Firm, 200).Concat(TextRules.SingleLine("adviser.contact", adviser.Contact, 200)))
            {
                yield return error;
            }

            if (adviser.Email is { } email && !TextRules.IsEmailAddress(email))
            {
                yield return ("adviser.email", "must be an email address");
            }
        }
    }
}

public sealed record StartApplicationRequest(ApplicationContentDto? Content = null) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => Content?.Validate() ?? [];
}

public sealed record EditApplicationRequest(ApplicationContentDto Content) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => Content.Validate();
}

public sealed record WithdrawApplicationRequest(string Reason) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => TextRules.SingleLine("reason", Reason, 1000);
}

public sealed record RequestInformationRequest(string Question, DateTimeOffset Deadline) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Question) || Question.Length > 4000)
        {
            yield return ("question", "is required, at most 4000 characters");
        }
    }
}

public sealed record InformationAnswerRequest(string Answer) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Answer) || Answer.Length > 8000)
        {
            yield return ("answer", "is required, at most 8000 characters");
        }
    }
}

/// <summary>Outcome <c>eligible</c> or <c>ineligible</c>; ineligible needs reason codes.</summary>
public sealed record DecideEligibilityRequest([property: ClosedSet("eligibility-outcome")] string Outcome, [property: ClosedSet("ineligibility-reason")] IReadOnlyList<string>? ReasonCodes = null, string? Note = null) : IValidatable
{
    public static IReadOnlyList<string> Outcomes { get; } = ["eligible", "ineligible"];

    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (!Outcomes.Contains(Outcome, StringComparer.Ordinal))
        {
            yield return ("outcome", "must be eligible or ineligible");
        }

        if (Note is { Length: > 4000 })
        {
            yield return ("note", "must be at most 4000 characters");
        }
    }
}

public sealed record AttachmentResponse([property: ClosedSet("attachment-kind")] string Kind, string FileName, string MediaType, long Size, string Sha256, DateTimeOffset UploadedAt);

public sealed record InformationRequestResponse(string Id, string Question, DateTimeOffset Deadline, DateTimeOffset RequestedAt, string? Answer, DateTimeOffset? AnsweredAt, bool Expired);

public sealed record EligibilityResponse([property: ClosedSet("eligibility-outcome")] string Outcome, [property: ClosedSet("ineligibility-reason")] IReadOnlyList<string> ReasonCodes, string? Note, DateTimeOffset DecidedAt);

public sealed record ApplicationResponse(
    string Id,
    string RoundId,
    string OrganisationKvk,
    string OrganisationName,
    [property: ClosedSet("application-status")] string Status,
    ApplicationContentDto Content,
    IReadOnlyList<AttachmentResponse> Attachments,
    [property: Description("While a draft: what submitting it now would be refused for, per field, checked against the round as each change is saved; empty when it may be submitted. Null once submitted or withdrawn.")]
    IReadOnlyDictionary<string, string[]>? DraftFindings,
    string? ReceiptNumber,
    DateTimeOffset? SubmittedAt,
    IReadOnlyList<string> AutomaticFindings,
    EligibilityResponse? Eligibility,
    IReadOnlyList<InformationRequestResponse> InformationRequests,
    DateTimeOffset CreatedAt,
    DateTimeOffset? WithdrawnAt,
    string? PoolId,
    DrawOutcomeResponse? Outcome,
    DecisionResponse? Decision,
    ObjectionResponse? Objection,
    long Version);

/// <summary>The ministry's decision and the grantee's answer: award (amount, approvals, deadline) or rejection (reasons).</summary>
public sealed record DecisionResponse(string Kind, long? AmountCents, string? ProposedBy, string? ApprovedBy, DateTimeOffset? DecidedAt, DateTimeOffset? AcceptBy,
    [property: ClosedSet("rejection-reason")] IReadOnlyList<string> ReasonCodes, string? Note, string? Answer);

/// <summary>
/// The applicant's objection (<i>bezwaar</i>) against a rejection: its grounds, the date it is to be decided by,
/// and — once decided — the outcome <c>upheld</c> or <c>dismissed</c> with the reasoning; <c>pending</c> until then.
/// </summary>
public sealed record ObjectionResponse(string Outcome, string Grounds, DateTimeOffset LodgedAt, DateTimeOffset DecideBy, string? Reasoning, DateTimeOffset? DecidedAt);

/// <summary>
/// The draw's outcome for an application: its result, its place in the published order (none when turned down, or under pro
/// rata, which funds no order) and on the reserve list; under pro rata, the share it was granted (<c>grantedCents</c>, the
/// most it can be awarded).
/// </summary>
public sealed record DrawOutcomeResponse([property: ClosedSet("draw-result")] string Result, string Stratum, int? Rank, int? ReservePosition, string ProtocolHash, long? GrantedCents = null);

/// <summary>A row of the ministry's list of a round's applications.</summary>
public sealed record ApplicationSummaryResponse(string Id, string OrganisationKvk, string OrganisationName, [property: ClosedSet("sector")] string Sector, [property: ClosedSet("application-status")] string Status, [property: ClosedSet("theme")] IReadOnlyList<string> Themes, long RequestedAmountCents, string? ReceiptNumber, DateTimeOffset? SubmittedAt);

public sealed record ApplicationPageResponse(IReadOnlyList<ApplicationSummaryResponse> Items, string? ContinuationToken);

public sealed record ApplicationCountsResponse(string RoundId, int Total, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> BySector, IReadOnlyDictionary<string, int> ByTheme);

/// <summary>Award (<i>verlening</i>) in euro cents: at most the requested amount and the round's maximum.</summary>
public sealed record AwardRequest(long AmountCents);

/// <summary>Reject with reason codes ineligible, assessment-negative or ceiling-reached, and an explanation.</summary>
public sealed record RejectRequest([property: ClosedSet("rejection-reason")] IReadOnlyList<string> ReasonCodes, string Note) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Note) || Note.Length > 4000)
        {
            yield return ("note", "explain the decision, at most 4000 characters");
        }
    }
}

/// <summary>The grantee accepts (true) or declines (false) the award.</summary>
public sealed record AnswerAwardRequest(bool Accept);

/// <summary>Object (<i>bezwaar</i>) to a rejection, within six weeks.</summary>
public sealed record LodgeObjectionRequest(string Grounds) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Grounds) || Grounds.Length > 8000)
        {
            yield return ("grounds", "say why you object, at most 8000 characters");
        }
    }
}

/// <summary>Uphold (back to the award path) or dismiss (the rejection is final), with the reasoning.</summary>
public sealed record DecideObjectionRequest(bool Upheld, string Reasoning);

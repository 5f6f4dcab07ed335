namespace Grants.Domain.Applications;

/// <summary>docs/design.md §3: from the draft through eligibility, the pool and the draw to the decision and the grantee's answer; what follows acceptance is the grant's own machine.</summary>
public enum ApplicationStatus
{
    Draft,
    Submitted,
    InformationRequested,
    Eligible,
    Ineligible,
    InPool,
    Selected,
    Reserve,
    AwardProposed,
    Awarded,
    Rejected,
    UnderObjection,
    Accepted,
    Declined,
    Withdrawn,

    /// <summary>Turned down by the round's allocation method at the draw (partial randomisation: scored below the band); not on the reserve list.</summary>
    NotSelected,
}

/// <summary>The applicant as it was when applying: baseline covariates for the evaluation, and where mail goes.</summary>
public sealed record ApplicantSnapshot(string Kvk, string LegalName, string Sector, string SizeClass, bool IsPublic, string Language, string ContactEmail);

public sealed record Adviser(string Firm, string Contact, string? Email);

/// <summary>What the applicant fills in. Amounts in euro cents.</summary>
public sealed record ApplicationContent(
    string Title,
    string Summary,
    IReadOnlyList<string> Themes,
    long RequestedAmountCents,
    DateOnly? StartDate,
    int? DurationMonths,
    long CoFinancingCents,
    Adviser? Adviser,
    bool ConsentToFollowUp)
{
    public static ApplicationContent Empty { get; } = new("", "", [], 0, null, null, 0, null, false);
}

/// <summary>An uploaded file: the blob holds the bytes; the name is kept as metadata only.</summary>
public sealed record Attachment(string Kind, string BlobName, string FileName, string MediaType, long Size, string Sha256, DateTimeOffset UploadedAt);

public static class AttachmentKinds
{
    public const string ProjectPlan = "project-plan";
    public const string Budget = "budget";

    public static IReadOnlyList<string> All { get; } = [ProjectPlan, Budget];
}

public sealed record EligibilityDecision(bool Eligible, IReadOnlyList<string> ReasonCodes, string? Note, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>A request for missing information (<i>herstelverzoek</i>) with its deadline and the answer, if any.</summary>
public sealed record InformationRequest(string Id, string Question, DateTimeOffset Deadline, DateTimeOffset RequestedAt, string? Answer, DateTimeOffset? AnsweredAt, bool Expired);

public sealed record ApplicationData(
    string Id,
    string RoundId,
    ApplicantSnapshot Applicant,
    ApplicationStatus Status,
    ApplicationContent Content,
    IReadOnlyList<Attachment> Attachments,
    int ConsentVersion,
    string? ReceiptNumber,
    DateTimeOffset? SubmittedAt,
    IReadOnlyList<string> AutomaticFindings,
    EligibilityDecision? Eligibility,
    IReadOnlyList<InformationRequest> InformationRequests,
    DateTimeOffset CreatedAt,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawalReason,
    bool RoundClosedNoticeSent,
    string? PoolId = null,
    DrawOutcome? Outcome = null,
    AwardDecision? Award = null,
    Rejection? Rejection = null,
    AcceptanceDecision? Acceptance = null,
    Objection? Objection = null,
    DateTimeOffset? ConsentWithdrawnAt = null,
    DateTimeOffset? PersonalDataErasedAt = null,
    IReadOnlyDictionary<string, string[]>? DraftFindings = null);

/// <summary>An objection (<i>bezwaar</i>) against a rejection: grounds, the date it must be decided by, and the outcome.</summary>
public sealed record Objection(string Grounds, DateTimeOffset LodgedAt, DateTimeOffset DecideBy, bool? Upheld, string? Reasoning, DateTimeOffset? DecidedAt, bool OverdueFlagged);

/// <summary>An award (<i>verlening</i>): the amount, who proposed and — above the four-eyes threshold — who approved, and the acceptance deadline.</summary>
public sealed record AwardDecision(long AmountCents, string ProposedBy, DateTimeOffset ProposedAt, string? ApprovedBy, DateTimeOffset? DecidedAt, DateTimeOffset? AcceptBy);

/// <summary>A rejection (<i>afwijzing</i>) with reason codes: ineligible, assessment-negative, ceiling-reached.</summary>
public sealed record Rejection(IReadOnlyList<string> ReasonCodes, string Note, string By, DateTimeOffset At);

/// <summary>The grantee's answer to an award — or its lapse at the deadline. Evaluation uses it for non-compliance.</summary>
public sealed record AcceptanceDecision(bool Accepted, bool Lapsed, DateTimeOffset At);

public static class RejectionReasons
{
    public static IReadOnlyList<string> All { get; } = ["ineligible", "assessment-negative", "ceiling-reached"];
}

/// <summary>What the draw decided for an application: selected, or its place on the reserve list, or — where the method turns some down outright — turned down.</summary>
/// <param name="Rank">The place in the published order of its stratum, from 1; 0 for one turned down, which is not in the order.</param>
/// <param name="Granted">Pro rata: the share (euro cents) it was granted, the most it can be awarded; null under every other method.</param>
/// <param name="ToldAt">When the outcome was recorded and its letter sent: the date of the decision, from which six weeks run to object to a turn-down.</param>
public sealed record DrawOutcome(
    bool Selected, string Stratum, int Rank, int? ReservePosition, string ProtocolHash, bool TurnedDown = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] long? Granted = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ToldAt = null);

/// <summary>Reason codes the ministry can give for an ineligible application.</summary>
public static class IneligibilityReasons
{
    public static IReadOnlyList<string> All { get; } =
    [
        "sector-not-eligible", "size-not-eligible", "public-not-eligible", "private-not-eligible",
        "incomplete", "information-not-supplied", "outside-themes", "amount-above-maximum",
        "not-an-innovation-project", "duplicate", "other",
    ];
}

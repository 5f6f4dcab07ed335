using System.Security.Cryptography;
using System.Text;
using Grants.Domain.Assessments;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Stateless;

namespace Grants.Domain.Applications;

/// <summary>
/// An organisation's application in a round: a draft it edits and attaches files to, submitted for
/// a receipt, checked for completeness and eligibility, possibly asked for missing information, and
/// finally in the frozen pool the lottery draws from. Withdrawable until decided.
/// </summary>
public sealed class Application
{
    private const string AdvisedWhereAssessed = "advised on, where the round assesses";
    private const string AnAwardThatAsksAnAnswer = "an award that asks to be accepted (not a voucher)";

    private readonly StateMachine<ApplicationStatus, Trigger> _machine;
    private readonly StateMachine<ApplicationStatus, Trigger>.TriggerWithParameters<AwardBasis> _award;
    private readonly StateMachine<ApplicationStatus, Trigger>.TriggerWithParameters<AwardBasis> _proposeAward;

    public Application(ApplicationData data)
    {
        Data = data;
        _machine = new StateMachine<ApplicationStatus, Trigger>(() => Data.Status, status => Data = Data with { Status = status });
        _award = _machine.SetTriggerParameters<AwardBasis>(Trigger.Award);
        _proposeAward = _machine.SetTriggerParameters<AwardBasis>(Trigger.ProposeAward);
        _machine.Configure(ApplicationStatus.Draft)
            .PermitReentry(Trigger.Edit)
            .PermitReentry(Trigger.Attach)
            .Permit(Trigger.Submit, ApplicationStatus.Submitted)
            .Permit(Trigger.Withdraw, ApplicationStatus.Withdrawn);
        _machine.Configure(ApplicationStatus.Submitted)
            .Permit(Trigger.RequestInformation, ApplicationStatus.InformationRequested)
            .Permit(Trigger.DecideEligible, ApplicationStatus.Eligible)
            .Permit(Trigger.DecideIneligible, ApplicationStatus.Ineligible)
            .Permit(Trigger.Withdraw, ApplicationStatus.Withdrawn);
        _machine.Configure(ApplicationStatus.InformationRequested)
            .PermitReentry(Trigger.Attach)
            .Permit(Trigger.SupplyInformation, ApplicationStatus.Submitted)
            .Permit(Trigger.ExpireInformationRequest, ApplicationStatus.Ineligible)
            .Permit(Trigger.Withdraw, ApplicationStatus.Withdrawn);
        _machine.Configure(ApplicationStatus.Eligible)
            .Permit(Trigger.EnterPool, ApplicationStatus.InPool)
            .Permit(Trigger.Reject, ApplicationStatus.Rejected)
            .Permit(Trigger.Withdraw, ApplicationStatus.Withdrawn);
        _machine.Configure(ApplicationStatus.InPool)
            .Permit(Trigger.Select, ApplicationStatus.Selected)
            .Permit(Trigger.PlaceOnReserve, ApplicationStatus.Reserve)
            .Permit(Trigger.TurnDown, ApplicationStatus.NotSelected)
            .Permit(Trigger.Withdraw, ApplicationStatus.Withdrawn);
        _machine.Configure(ApplicationStatus.NotSelected)
            .Permit(Trigger.LodgeObjection, ApplicationStatus.UnderObjection);
        _machine.Configure(ApplicationStatus.Selected)
            .PermitIf(_proposeAward, ApplicationStatus.AwardProposed, basis => basis.MayBeDecided, AdvisedWhereAssessed)
            .PermitIf(_award, ApplicationStatus.Awarded, basis => basis.MayBeDecided, AdvisedWhereAssessed)
            .Permit(Trigger.Reject, ApplicationStatus.Rejected)
            .Permit(Trigger.Withdraw, ApplicationStatus.Withdrawn);
        _machine.Configure(ApplicationStatus.AwardProposed)
            .Permit(Trigger.ApproveAward, ApplicationStatus.Awarded)
            .Permit(Trigger.Reject, ApplicationStatus.Rejected);
        _machine.Configure(ApplicationStatus.Rejected)
            .Permit(Trigger.LodgeObjection, ApplicationStatus.UnderObjection);
        _machine.Configure(ApplicationStatus.UnderObjection)
            .PermitReentry(Trigger.FlagOverdue)
            .PermitIf(Trigger.UpholdObjection, ApplicationStatus.Selected, () => SelectedInTheDraw || TurnedDownInTheDraw, "selected, or turned down, in the draw")
            .PermitIf(Trigger.UpholdObjection, ApplicationStatus.Eligible, () => !SelectedInTheDraw && !TurnedDownInTheDraw, "rejected before the draw")
            .PermitIf(Trigger.DismissObjection, ApplicationStatus.Rejected, () => !TurnedDownInTheDraw, "rejected")
            .PermitIf(Trigger.DismissObjection, ApplicationStatus.NotSelected, () => TurnedDownInTheDraw, "turned down in the draw");
        _machine.Configure(ApplicationStatus.Awarded)
            .PermitIf(Trigger.Accept, ApplicationStatus.Accepted, () => AsksAnswer, AnAwardThatAsksAnAnswer)
            .PermitIf(Trigger.Decline, ApplicationStatus.Declined, () => AsksAnswer, AnAwardThatAsksAnAnswer);
        _machine.Configure(ApplicationStatus.Reserve)
            .Permit(Trigger.SelectFromReserve, ApplicationStatus.Selected)
            .Permit(Trigger.Withdraw, ApplicationStatus.Withdrawn);
    }

    private enum Trigger
    {
        Edit,
        Attach,
        Submit,
        RequestInformation,
        SupplyInformation,
        ExpireInformationRequest,
        DecideEligible,
        DecideIneligible,
        EnterPool,
        Select,
        PlaceOnReserve,
        TurnDown,
        SelectFromReserve,
        ProposeAward,
        Award,
        ApproveAward,
        Reject,
        Accept,
        Decline,
        LodgeObjection,
        FlagOverdue,
        UpholdObjection,
        DismissObjection,
        Withdraw,
    }

    /// <summary>
    /// What an award rests on besides the request: whether the round's design has the committee assess
    /// applications, and how far the committee's assessment of this one has come (none assigned yet: null).
    /// </summary>
    private sealed record AwardBasis(bool AssessmentRequired, AssessmentStatus? Assessment)
    {
        public bool MayBeDecided => !AssessmentRequired || Assessment == AssessmentStatus.Advised;
    }

    /// <summary>An objection must be lodged within six weeks of the decision (Awb 6:7) and decided within six weeks of lodging (Awb 7:10).</summary>
    public static readonly TimeSpan ObjectionPeriod = TimeSpan.FromDays(42);

    public ApplicationData Data { get; private set; }

    public bool CanAttach => _machine.CanFire(Trigger.Attach);

    /// <summary>Submitted applications without an eligibility decision yet: they block the pool freeze.</summary>
    public bool AwaitsEligibilityDecision => Data.Status is ApplicationStatus.Submitted or ApplicationStatus.InformationRequested;

    /// <summary>
    /// When the application was last complete: submitted, or, when information was asked for afterwards, the moment the last
    /// answer came in. First come, first served counts it on that day (docs/allocation.md).
    /// </summary>
    public DateTimeOffset? CompletedAt =>
        Data.InformationRequests.Where(r => r.AnsweredAt is not null).Select(r => r.AnsweredAt).Max() is { } answered && answered > Data.SubmittedAt ? answered : Data.SubmittedAt;

    public InformationRequest? OpenInformationRequest => Data.InformationRequests.LastOrDefault(r => r.Answer is null && !r.Expired);

    /// <summary>
    /// One application per organisation per round: the id is derived from both, so a second start
    /// for the same organisation collides in storage, atomically, however many arrive at once.
    /// </summary>
    public static string IdFor(string roundId, string kvk) => $"{IdPrefixFor(roundId)}{kvk}";

    /// <summary>
    /// The application holds an award that stands: awarded or accepted, not declined, lapsed or withdrawn. It is what the
    /// evaluation counts as having received the subsidy, the follow-up as a recipient and the open data publishes.
    /// </summary>
    public static bool HoldsAward(ApplicationData application) => application.Status is ApplicationStatus.Awarded or ApplicationStatus.Accepted;

    /// <summary>What the ids of every application in the round, and of what derives from one (its assessment, voucher or grant), begin with.</summary>
    public static string IdPrefixFor(string roundId) => $"app-{roundId.Replace("round-", "", StringComparison.Ordinal)}-";

    /// <summary>
    /// An empty draft in <paramref name="round"/>, with what it still needs before it can be submitted; only while the
    /// round accepts applications (<see cref="RoundNotOpenException"/> otherwise).
    /// </summary>
    public static Application Start(ApplicantSnapshot applicant, RoundData round, DateTimeOffset now)
    {
        ThrowIfNotAccepting(round, now);
        var application = new Application(new ApplicationData(IdFor(round.Id, applicant.Kvk), round.Id, applicant, ApplicationStatus.Draft, ApplicationContent.Empty, [],
            round.Configuration.Version, null, null, [], null, [], now, null, null, false));
        application.RecordDraftFindings(round.Configuration);
        return application;
    }

    /// <summary>Applications are started and submitted only while their round accepts them, whoever asks.</summary>
    private static void ThrowIfNotAccepting(RoundData round, DateTimeOffset now)
    {
        if (new Round(round).WhyClosedFor(now) is { } closed)
        {
            throw new RoundNotOpenException(closed);
        }
    }

    /// <summary>
    /// Saves the draft's content whatever it lacks — a draft is work in progress — and records what would stop
    /// its submission in <paramref name="round"/> (<see cref="ApplicationData.DraftFindings"/>), so the applicant
    /// learns of a theme the round does not fund when typing it, not at the deadline.
    /// </summary>
    public void Edit(ApplicationContent content, RoundConfiguration round)
    {
        // A theme of another round is the draft's to correct; a word that is no theme at all is bad input.
        if (content.Themes.FirstOrDefault(t => !ThemeCatalogue.IsKnown(t)) is { } unknown)
        {
            throw new DomainRuleException("themes", $"'{unknown}' is not a known theme");
        }

        Fire(Trigger.Edit, "edit");
        Data = Data with { Content = content with { Title = content.Title.Trim(), Summary = content.Summary.Trim() } };
        RecordDraftFindings(round);
    }

    /// <summary>
    /// Adds or replaces the attachment of its kind. Files freeze at submission, except to answer an information
    /// request. A draft's findings in <paramref name="round"/> are brought up to date, as on <see cref="Edit"/>.
    /// </summary>
    public void Attach(Attachment attachment, RoundConfiguration round)
    {
        if (!AttachmentKinds.All.Contains(attachment.Kind))
        {
            throw new DomainRuleException("kind", $"must be one of: {string.Join(", ", AttachmentKinds.All)}");
        }

        Fire(Trigger.Attach, "add files to");
        Data = Data with { Attachments = [.. Data.Attachments.Where(a => a.Kind != attachment.Kind), attachment] };
        if (Data.Status == ApplicationStatus.Draft)
        {
            RecordDraftFindings(round);
        }
    }

    /// <summary>Submits the draft to <paramref name="roundData"/>, its own round, while that accepts applications and the draft is complete.</summary>
    public void Submit(RoundData roundData, DateTimeOffset now)
    {
        if (roundData.Id != Data.RoundId)
        {
            throw new ArgumentException($"Application {Data.Id} is in round {Data.RoundId}, not {roundData.Id}.", nameof(roundData));
        }

        ThrowIfNotAccepting(roundData, now);
        if (!_machine.CanFire(Trigger.Submit))
        {
            throw new InvalidTransitionException("application", Data.Status.ToString(), "submit");
        }

        var round = roundData.Configuration;
        DomainRuleException.ThrowIfAny("The application is not complete.", Completeness(round));
        _machine.Fire(Trigger.Submit);
        Data = Data with
        {
            DraftFindings = null,
            SubmittedAt = now,
            ReceiptNumber = ReceiptNumberFor(Data.Id, now),
            AutomaticFindings = [.. round.Eligibility.Findings(Data.Applicant.Sector, Data.Applicant.SizeClass, Data.Applicant.IsPublic)],
        };
    }

    public InformationRequest RequestInformation(string question, DateTimeOffset deadline, DateTimeOffset now)
    {
        if (deadline <= now)
        {
            throw new DomainRuleException("deadline", "must be in the future");
        }

        Fire(Trigger.RequestInformation, "request information for");
        var request = new InformationRequest($"ir-{Data.InformationRequests.Count + 1}", question.Trim(), deadline, now, null, null, false);
        Data = Data with { InformationRequests = [.. Data.InformationRequests, request] };
        return request;
    }

    public void SupplyInformation(string requestId, string answer, DateTimeOffset now)
    {
        var open = OpenInformationRequest;
        if (open is null || open.Id != requestId)
        {
            throw new DomainRuleException("requestId", $"{requestId} is not the open information request of this application");
        }

        if (now > open.Deadline)
        {
            throw new DomainRuleException("requestId", "the deadline of this request has passed");
        }

        Fire(Trigger.SupplyInformation, "supply information for");
        Replace(open with { Answer = answer.Trim(), AnsweredAt = now });
    }

    public bool IsInformationOverdue(DateTimeOffset now) =>
        Data.Status == ApplicationStatus.InformationRequested && OpenInformationRequest is { } open && now > open.Deadline;

    /// <summary>An unanswered request past its deadline makes the application ineligible.</summary>
    public void ExpireInformationRequest(DateTimeOffset now)
    {
        if (!IsInformationOverdue(now))
        {
            throw new InvalidTransitionException("application", Data.Status.ToString(), "expire an information request of");
        }

        var open = OpenInformationRequest!;
        _machine.Fire(Trigger.ExpireInformationRequest);
        Replace(open with { Expired = true });
        // The reason code says it all; a note is the ministry's own words, which letters quote as they are.
        Data = Data with { Eligibility = new EligibilityDecision(false, ["information-not-supplied"], null, "system", now) };
    }

    public void DecideEligibility(bool eligible, IReadOnlyList<string> reasonCodes, string? note, string decidedBy, DateTimeOffset now)
    {
        if (!eligible && reasonCodes.Count == 0)
        {
            throw new DomainRuleException("reasonCodes", "give at least one reason code for an ineligible application");
        }

        if (!eligible && reasonCodes.FirstOrDefault(code => !IneligibilityReasons.All.Contains(code)) is { } unknown)
        {
            throw new DomainRuleException("reasonCodes", $"'{unknown}' is not a reason code; use: {string.Join(", ", IneligibilityReasons.All)}");
        }

        Fire(eligible ? Trigger.DecideEligible : Trigger.DecideIneligible, "decide eligibility of");
        Data = Data with { Eligibility = new EligibilityDecision(eligible, eligible ? [] : reasonCodes, note?.Trim(), decidedBy, now) };
    }

    /// <summary>Enters the frozen pool under its published pseudonym.</summary>
    public void EnterPool(string poolId)
    {
        Fire(Trigger.EnterPool, "enter into the pool");
        Data = Data with { PoolId = poolId };
    }

    /// <summary>Records the published draw's outcome for this application.</summary>
    public void RecordDrawOutcome(DrawOutcome outcome)
    {
        Fire(outcome.TurnedDown ? Trigger.TurnDown : outcome.Selected ? Trigger.Select : Trigger.PlaceOnReserve, "record a draw outcome for");
        Data = Data with { Outcome = outcome };
    }

    /// <summary>Budget came free and the cut-off moved down the published order to this application.</summary>
    public void SelectFromReserve(string protocolHash)
    {
        Fire(Trigger.SelectFromReserve, "select from the reserve list");
        Data = Data with { Outcome = Data.Outcome! with { Selected = true, ReservePosition = null, ProtocolHash = protocolHash } };
    }

    /// <summary>
    /// Where the application stands in the draw according to <paramref name="current"/>, the round's current
    /// protocol (published under <paramref name="currentHash"/>): selected, or its place on the reserve list
    /// now. The outcome stored at the draw keeps what the draw said; cut-off changes move everyone behind the
    /// released ones up without touching their records, so the protocol is the one source of the standing.
    /// An application no longer on either list (withdrawn, rejected, declined) keeps its last standing.
    /// </summary>
    public DrawOutcome? CurrentOutcome(Lottery.LotteryProtocol current, string currentHash)
    {
        if (Data is not { Outcome: { } stored, PoolId: { } poolId })
        {
            return Data.Outcome;
        }

        if (current.Selected.Contains(poolId))
        {
            return stored with { Selected = true, ReservePosition = null, ProtocolHash = currentHash };
        }

        return current.ReservePosition(poolId) is { } place ? stored with { Selected = false, ReservePosition = place, ProtocolHash = currentHash } : stored;
    }

    /// <summary>
    /// Whether the committee's queue holds this application: every eligible one where the round assesses
    /// before the draw; every one the lottery or the reserve list selected where it assesses after it.
    /// </summary>
    public bool AwaitsAssessment(RoundConfiguration round) =>
        round.Allocation.AssessesBeforeDraw ? Data.Status == ApplicationStatus.Eligible : round.AssessesAfterDraw && Data.Status == ApplicationStatus.Selected;

    /// <summary>
    /// Awards up to the requested amount and the round's maximum. Above <paramref name="fourEyesThresholdCents"/>
    /// the award is only proposed until a second ministry member approves. Where the round's design assesses
    /// applications, neither happens before the committee has advised on this one (<paramref name="assessment"/>).
    /// </summary>
    public void Award(long amountCents, RoundConfiguration round, AssessmentData? assessment, long fourEyesThresholdCents, string by, DateTimeOffset now, TimeSpan acceptanceWindow)
    {
        if (amountCents <= 0 || amountCents > Data.Content.RequestedAmountCents || amountCents > round.MaxPerApplicationCents)
        {
            throw new DomainRuleException("amountCents", $"must be positive and at most the requested {Data.Content.RequestedAmountCents} and the round's maximum {round.MaxPerApplicationCents} cents");
        }

        if (Data.Outcome?.Granted is { } share && amountCents > share)
        {
            throw new DomainRuleException("amountCents", $"must be at most the {share} cents this application was granted as its pro rata share; the budget was shared out among every viable request");
        }

        var basis = new AwardBasis(round.AssessesApplications, assessment is { } a && a.ApplicationId == Data.Id ? a.Status : null);
        var proposal = amountCents > fourEyesThresholdCents;
        var trigger = proposal ? _proposeAward : _award;
        if (!_machine.CanFire(trigger, basis))
        {
            throw Data.Status == ApplicationStatus.Selected
                ? NotAdvised(basis)
                : new InvalidTransitionException("application", Data.Status.ToString(), proposal ? "propose an award for" : "award");
        }

        _machine.Fire(trigger, basis);
        Data = Data with { Award = proposal ? new AwardDecision(amountCents, by, now, null, null, null) : new AwardDecision(amountCents, by, now, null, now, AcceptBy(round, now, acceptanceWindow)) };
    }

    /// <summary>
    /// Until when a project subsidy must be accepted; a voucher asks for no answer — its holder redeems it at a
    /// supplier before it expires, or returns it — so it has no such date and nothing about it can lapse.
    /// </summary>
    private static DateTimeOffset? AcceptBy(RoundConfiguration round, DateTimeOffset decidedAt, TimeSpan acceptanceWindow) =>
        round.Instrument == Instrument.Voucher ? null : decidedAt + acceptanceWindow;

    /// <summary>The award waits for the grantee to accept or decline it (a project subsidy, not a voucher).</summary>
    public bool AsksAnswer => Data.Award is { AcceptBy: not null };

    private InvalidTransitionException NotAdvised(AwardBasis basis) => InvalidTransitionException.Because("application", Data.Status.ToString(), "award",
        basis.Assessment is null
            ? "This application cannot be awarded yet: the round's design has the assessment committee assess every selected application before the ministry decides on it, "
              + "and no assessment has been assigned to it. Assign it to the committee, and award once the committee has advised on it."
            : "This application cannot be awarded yet: the assessment committee has not advised on it. The round's design has every selected application assessed "
              + "before the ministry decides on it; award once the chair has recorded the committee's advice.");

    public bool AwaitsSecondApproval => Data.Status == ApplicationStatus.AwardProposed;

    /// <summary>The second ministry member's approval of a proposed award: never the proposer.</summary>
    public void ApproveAward(string by, RoundConfiguration round, DateTimeOffset now, TimeSpan acceptanceWindow)
    {
        if (Data.Award is { } proposed && proposed.ProposedBy == by)
        {
            throw new DomainRuleException("approver", "a second approval must come from another person than the one who proposed the award");
        }

        Fire(Trigger.ApproveAward, "approve an award for");
        Data = Data with { Award = Data.Award! with { ApprovedBy = by, DecidedAt = now, AcceptBy = AcceptBy(round, now, acceptanceWindow) } };
    }

    public void Reject(IReadOnlyList<string> reasonCodes, string note, string by, DateTimeOffset now)
    {
        if (reasonCodes.Count == 0 || reasonCodes.Any(c => !RejectionReasons.All.Contains(c)))
        {
            throw new DomainRuleException("reasonCodes", $"give one or more of: {string.Join(", ", RejectionReasons.All)}");
        }

        Fire(Trigger.Reject, "reject");
        Data = Data with { Rejection = new Rejection(reasonCodes, note.Trim(), by, now) };
    }

    public void Answer(bool accept, DateTimeOffset now)
    {
        if (Data.Award?.AcceptBy is { } deadline && now > deadline)
        {
            throw new DomainRuleException("acceptance", "the deadline to accept has passed");
        }

        if (Data.Status == ApplicationStatus.Awarded && !AsksAnswer)
        {
            throw InvalidTransitionException.Because("award", "a voucher", accept ? "accept" : "decline",
                "A voucher needs no acceptance: its holder redeems it at a supplier before it expires, or returns it.");
        }

        Fire(accept ? Trigger.Accept : Trigger.Decline, accept ? "accept" : "decline");
        Data = Data with { Acceptance = new AcceptanceDecision(accept, false, now) };
    }

    public bool HasLapsed(DateTimeOffset now) => Data.Status == ApplicationStatus.Awarded && Data.Award?.AcceptBy is { } deadline && now > deadline;

    /// <summary>No answer by the deadline counts as a decline.</summary>
    public void Lapse(DateTimeOffset now)
    {
        if (!HasLapsed(now))
        {
            throw new InvalidTransitionException("application", Data.Status.ToString(), "let lapse");
        }

        _machine.Fire(Trigger.Decline);
        Data = Data with { Acceptance = new AcceptanceDecision(false, true, now) };
    }

    /// <summary>
    /// The applicant objects to the decision against its application: a rejection, or its turn-down by the round's method
    /// (partial randomisation below the band, a pro rata share below the minimum grant), within six weeks of it.
    /// </summary>
    public void LodgeObjection(string grounds, DateTimeOffset now)
    {
        if (ObjectedDecisionAt is { } decided && now > decided + ObjectionPeriod)
        {
            throw new DomainRuleException("objection", "the six weeks to object to this decision have passed");
        }

        if (Data.Objection is { } lodged)
        {
            throw new DomainRuleException("objection", lodged.DecidedAt is null
                ? "an objection against this decision has already been lodged and awaits its decision"
                : "an objection against this decision has already been decided");
        }

        if (string.IsNullOrWhiteSpace(grounds))
        {
            throw new DomainRuleException("grounds", "say why you object");
        }

        Fire(Trigger.LodgeObjection, "object to the decision on");
        Data = Data with { Objection = new Objection(grounds.Trim(), now, now + ObjectionPeriod, null, null, null, false) };
    }

    /// <summary>
    /// Upheld: the rejection is revoked and the application goes back to where it stood — the award
    /// path when the draw selected it, eligible (for the pool) when it was rejected before the draw; a
    /// turn-down by the round's method is revoked onto the award path, outside the published order (its
    /// chance in the protocol stays 0, so the evaluation leaves it out), where the ledger decides whether
    /// the budget allows an award. Dismissed: the rejection, or the turn-down, is final.
    /// </summary>
    public void DecideObjection(bool upheld, string reasoning, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reasoning))
        {
            throw new DomainRuleException("reasoning", "a decision on an objection needs its reasoning");
        }

        Fire(upheld ? Trigger.UpholdObjection : Trigger.DismissObjection, "decide the objection on");
        Data = Data with { Objection = Data.Objection! with { Upheld = upheld, Reasoning = reasoning.Trim(), DecidedAt = now }, Rejection = upheld ? null : Data.Rejection };
    }

    public bool IsObjectionOverdue(DateTimeOffset now) =>
        Data.Status == ApplicationStatus.UnderObjection && Data.Objection is { OverdueFlagged: false } objection && now > objection.DecideBy;

    public void FlagObjectionOverdue(DateTimeOffset now)
    {
        if (!IsObjectionOverdue(now))
        {
            throw new InvalidTransitionException("application", Data.Status.ToString(), "flag an overdue objection on");
        }

        _machine.Fire(Trigger.FlagOverdue);
        Data = Data with { Objection = Data.Objection! with { OverdueFlagged = true } };
    }

    public void Withdraw(string reason, DateTimeOffset now)
    {
        Fire(Trigger.Withdraw, "withdraw");
        Data = Data with { WithdrawnAt = now, WithdrawalReason = reason.Trim(), DraftFindings = null };
    }

    /// <summary>
    /// The organisation withdraws its consent to the follow-up study: it is not contacted again and its
    /// answers leave the evaluation. Its place in the lottery (and in the intention-to-treat population) stays.
    /// </summary>
    public void WithdrawConsent(DateTimeOffset now)
    {
        if (Data.SubmittedAt is null || !Data.Content.ConsentToFollowUp || Data.ConsentWithdrawnAt is not null)
        {
            throw new InvalidTransitionException("application", Data.ConsentWithdrawnAt is null ? Data.Status.ToString() : "without consent", "withdraw follow-up consent for");
        }

        Data = Data with { ConsentWithdrawnAt = now };
    }

    public void MarkRoundClosedNoticeSent() => Data = Data with { RoundClosedNoticeSent = true };

    /// <summary>What erased text reads afterwards.</summary>
    public const string Erased = "(erased)";

    /// <summary>
    /// Past its retention period the file keeps only what the ledger, the lottery and the evaluation
    /// need (organisation, status, amounts, dates, pool id, outcomes): the contact address, the
    /// adviser's contact person, file names, free-text questions, answers, notes and grounds go.
    /// </summary>
    public void ErasePersonalData(DateTimeOffset now)
    {
        if (Data.PersonalDataErasedAt is not null)
        {
            throw new InvalidTransitionException("application", "already erased", "erase personal data of");
        }

        static string? Scrub(string? text) => text is null ? null : Erased;
        Data = Data with
        {
            Applicant = Data.Applicant with { ContactEmail = string.Empty },
            Content = Data.Content with { Adviser = Data.Content.Adviser is { } adviser ? new Adviser(adviser.Firm, Erased, null) : null },
            Attachments = [.. Data.Attachments.Select(a => a with { FileName = $"{a.Kind}.pdf" })],
            InformationRequests = [.. Data.InformationRequests.Select(r => r with { Question = Erased, Answer = Scrub(r.Answer) })],
            Eligibility = Data.Eligibility is { } eligibility ? eligibility with { Note = Scrub(eligibility.Note) } : null,
            WithdrawalReason = Scrub(Data.WithdrawalReason),
            Rejection = Data.Rejection is { } rejection ? rejection with { Note = Erased } : null,
            Objection = Data.Objection is { } objection ? objection with { Grounds = Erased, Reasoning = Scrub(objection.Reasoning) } : null,
            PersonalDataErasedAt = now,
        };
    }

    public static string Diagram() => Stateless.Graph.MermaidGraph.Format(new Application(new ApplicationData("app-x", "round-x", new ApplicantSnapshot("", "", "", "", false, "", ""),
        ApplicationStatus.Draft, ApplicationContent.Empty, [], 1, null, null, [], null, [], default, null, null, false))._machine.GetInfo());

    /// <summary>A short, stable receipt number people can quote on the phone.</summary>
    public static string ReceiptNumberFor(string id, DateTimeOffset submittedAt) =>
        $"GR-{submittedAt.UtcDateTime:yyyyMMdd}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..8]}";

    /// <summary>Only the lottery (or the reserve list it published) puts an application on the award path.</summary>
    private bool SelectedInTheDraw => Data.Outcome is { Selected: true };

    private bool TurnedDownInTheDraw => Data.Rejection is null && Data.Outcome is { TurnedDown: true };

    /// <summary>When the decision an objection is against was made: the rejection, else the turn-down; null when unknown (an outcome recorded before it was dated).</summary>
    public DateTimeOffset? ObjectedDecisionAt => Data.Rejection?.At ?? (Data.Outcome is { TurnedDown: true } outcome ? outcome.ToldAt : null);

    /// <summary>What submitting now would be refused for, per field: exactly the checks <see cref="Submit"/> makes. Empty when it may be submitted.</summary>
    private void RecordDraftFindings(RoundConfiguration round) =>
        Data = Data with { DraftFindings = Completeness(round).GroupBy(e => e.Field, e => e.Error).ToDictionary(g => g.Key, g => g.ToArray()) };

    private IEnumerable<(string Field, string Error)> Completeness(RoundConfiguration round)
    {
        var content = Data.Content;
        if (string.IsNullOrWhiteSpace(content.Title))
        {
            yield return ("title", "is required");
        }

        if (string.IsNullOrWhiteSpace(content.Summary))
        {
            yield return ("summary", "is required");
        }

        if (content.Themes.Count == 0)
        {
            yield return ("themes", "choose at least one theme");
        }

        foreach (var theme in content.Themes.Where(t => !round.Themes.Contains(t)))
        {
            yield return ("themes", $"'{theme}' is not a theme of this round");
        }

        if (round.Instrument == Instrument.Voucher && content.RequestedAmountCents != round.VoucherValueCents)
        {
            yield return ("requestedAmountCents", $"a voucher is worth exactly {round.VoucherValueCents} cents");
        }
        else if (content.RequestedAmountCents <= 0 || content.RequestedAmountCents > round.MaxPerApplicationCents)
        {
            yield return ("requestedAmountCents", $"must be positive and at most {round.MaxPerApplicationCents} cents");
        }

        // A project's start and length set its reports and payments; a voucher has its own validity instead.
        if (round.Instrument == Instrument.ProjectSubsidy && content.StartDate is null)
        {
            yield return ("startDate", "is required");
        }

        if (round.Instrument == Instrument.ProjectSubsidy && content.DurationMonths is not (>= 1 and <= 60))
        {
            yield return ("durationMonths", "must be between 1 and 60");
        }

        if (!content.ConsentToFollowUp)
        {
            yield return ("consentToFollowUp", "consent to the follow-up research is required to apply");
        }

        if (Data.Attachments.All(a => a.Kind != AttachmentKinds.ProjectPlan))
        {
            yield return ("attachments", "the project plan is missing");
        }

        if (round.Instrument == Instrument.ProjectSubsidy && Data.Attachments.All(a => a.Kind != AttachmentKinds.Budget))
        {
            yield return ("attachments", "the budget is missing");
        }
    }

    private void Replace(InformationRequest request) =>
        Data = Data with { InformationRequests = [.. Data.InformationRequests.Select(r => r.Id == request.Id ? request : r)] };

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("application", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}

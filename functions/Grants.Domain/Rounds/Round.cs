using Grants.Domain.Allocation;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Schemes;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Planning;
using Stateless;

namespace Grants.Domain.Rounds;

/// <summary>docs/design.md §3: a round's life from draft to evaluation.</summary>
public enum RoundStatus
{
    Draft,
    Open,
    Closed,
    PoolFreezing,
    PoolFrozen,
    Drawing,
    Drawn,
    Deciding,
    Decided,
    FollowUp,
    Evaluated,
}

/// <summary>A party's published commitment to its secret seed (docs/design.md §4).</summary>
public sealed record SeedCommitment(string Party, string Commitment, string PostedBy, DateTimeOffset PostedAt);

/// <summary>A seed revealed at the draw, checked against its commitment.</summary>
public sealed record RevealedSeed(string Party, string Seed, DateTimeOffset RevealedAt);

/// <summary>
/// A draw's protocol, stored write-once under its hash. A surprising imbalance holds publication
/// (<see cref="PublishedAt"/> stays empty) until ministry staff confirm.
/// </summary>
public sealed record DrawRecord(
    string ProtocolHash,
    DateTimeOffset DrawnAt,
    bool DrawNeeded,
    string? SupersededReason = null,
    bool HeldForBalance = false,
    DateTimeOffset? PublishedAt = null,
    string? PublicationNote = null,
    DateTimeOffset? SupersededAt = null);

/// <summary>The lottery's state in a round: commitments in the order posted, reveals, the current draw and any it replaced.</summary>
public sealed record RoundLottery(
    IReadOnlyList<SeedCommitment> Commitments,
    IReadOnlyList<RevealedSeed> Reveals,
    DrawRecord? Draw,
    IReadOnlyList<DrawRecord> Superseded,
    bool AcceptsNewCommitments,
    IReadOnlyList<string>? ProtocolVersions = null)
{
    public static RoundLottery Empty { get; } = new([], [], null, [], false);

    /// <summary>Every protocol the round's lottery has stored: the current one, its earlier versions and the draws set aside.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlySet<string> Protocols =>
        new HashSet<string>([.. Draw is { } draw ? [draw.ProtocolHash] : Array.Empty<string>(), .. ProtocolVersions ?? [], .. Superseded.Select(d => d.ProtocolHash)], StringComparer.Ordinal);
}

/// <summary>A round's stored data. The frozen pool itself lives in a write-once blob; its hash is kept here.</summary>
/// <param name="PlanAmendments">Changes to the analysis plan after the draw, in the order made (docs/decisions/0013).</param>
public sealed record RoundData(
    string Id,
    string SchemeId,
    string Name,
    RoundStatus Status,
    RoundConfiguration Configuration,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? PoolFrozenAt,
    string? PoolHash,
    int? PoolSize,
    bool ClosureNoticesSent = false,
    RoundLottery? Lottery = null,
    IReadOnlyList<PlanAmendment>? PlanAmendments = null,
    DateTimeOffset? PoolFreezeRequestedAt = null,
    string? PoolFreezeRefusal = null,
    DateTimeOffset? DrawRequestedAt = null)
{
    public RoundLottery LotteryState => Lottery ?? RoundLottery.Empty;

    /// <summary>
    /// The analysis plan as committed when the round opened, with every amendment since; null in Draft,
    /// where the plan is still part of a configuration that may change.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public AnalysisPlanRecord? AnalysisPlan =>
        OpenedAt is { } committedAt && Configuration.EffectiveAnalysisPlan is var plan
            ? new AnalysisPlanRecord(AnalysisPlanRecord.CurrentSchemaVersion, Id, plan.Hash(), committedAt, plan, PlanAmendments ?? [])
            : null;
}

/// <summary>
/// A round (<i>tijdvak</i>): configured in Draft, open for applications between its opening and
/// closing times, closed by timer or by hand, then its pool of eligible applications is frozen for
/// the lottery. Later stages (draw, decisions, follow-up, evaluation) continue the same machine.
/// </summary>
public sealed class Round
{
    private readonly StateMachine<RoundStatus, Trigger> _machine;

    public Round(RoundData data)
    {
        Data = data;
        _machine = new StateMachine<RoundStatus, Trigger>(() => Data.Status, status => Data = Data with { Status = status });
        _machine.Configure(RoundStatus.Draft)
            .PermitReentry(Trigger.Configure)
            .Permit(Trigger.Open, RoundStatus.Open);
        _machine.Configure(RoundStatus.Open).Permit(Trigger.Close, RoundStatus.Closed);
        // Closing by hand and the closing time's timer may meet: whichever comes second finds the work done.
        _machine.Configure(RoundStatus.Closed)
            .Ignore(Trigger.Close)
            .Permit(Trigger.RequestPoolFreeze, RoundStatus.PoolFreezing);
        // The pool is computed in the background from every application of the round; a second request finds it asked for.
        _machine.Configure(RoundStatus.PoolFreezing)
            .Ignore(Trigger.RequestPoolFreeze)
            .Permit(Trigger.FreezePool, RoundStatus.PoolFrozen)
            .Permit(Trigger.RefusePoolFreeze, RoundStatus.Closed);
        _machine.Configure(RoundStatus.PoolFrozen)
            .Ignore(Trigger.RequestPoolFreeze)
            .Permit(Trigger.RequestDraw, RoundStatus.Drawing);
        // The protocol is computed in the background from the frozen pool and the revealed seeds; a second request finds it asked for.
        _machine.Configure(RoundStatus.Drawing)
            .Ignore(Trigger.RequestDraw)
            .Permit(Trigger.RecordDraw, RoundStatus.Drawn);
        // The analysis plan is amended only once the draw is published, and no more once the evaluation is complete (docs/decisions/0013).
        _machine.Configure(RoundStatus.Drawn)
            .Permit(Trigger.StartDecisions, RoundStatus.Deciding)
            .Permit(Trigger.Redraw, RoundStatus.PoolFrozen)
            .PermitReentryIf(Trigger.AmendAnalysisPlan, () => DrawIsPublished, "draw published");
        _machine.Configure(RoundStatus.Deciding)
            .Permit(Trigger.CompleteDecisions, RoundStatus.Decided)
            .PermitReentry(Trigger.AmendAnalysisPlan);
        _machine.Configure(RoundStatus.Decided)
            .Permit(Trigger.StartFollowUp, RoundStatus.FollowUp)
            .PermitReentry(Trigger.AmendAnalysisPlan);
        _machine.Configure(RoundStatus.FollowUp)
            .Permit(Trigger.CompleteEvaluation, RoundStatus.Evaluated)
            .PermitReentry(Trigger.AmendAnalysisPlan);
    }

    private enum Trigger
    {
        Configure,
        Open,
        Close,
        RequestPoolFreeze,
        FreezePool,
        RefusePoolFreeze,
        RequestDraw,
        RecordDraw,
        Redraw,
        StartDecisions,
        CompleteDecisions,
        StartFollowUp,
        CompleteEvaluation,
        AmendAnalysisPlan,
    }

    public RoundData Data { get; private set; }

    /// <summary>A draft round of <paramref name="scheme"/>; a retired scheme opens no new rounds.</summary>
    public static Round Create(string id, SchemeData scheme, string name, RoundConfiguration configuration)
    {
        ThrowIfRetired(scheme, "create");
        DomainRuleException.ThrowIfAny("The round configuration is not valid.", configuration.Problems());
        return new Round(new RoundData(id, scheme.Id, name.Trim(), RoundStatus.Draft, configuration with { Version = 1 }, null, null, null, null, null));
    }

    private static void ThrowIfRetired(SchemeData scheme, string action)
    {
        if (scheme.Status != SchemeStatus.Active)
        {
            throw InvalidTransitionException.Because("scheme", scheme.Status.ToString(), $"{action} a round of", "A retired scheme opens no new rounds.");
        }
    }

    /// <summary>Applications may be created and submitted only while the round is open and inside its window.</summary>
    public bool AcceptsApplications(DateTimeOffset now) =>
        Data.Status == RoundStatus.Open && now >= Data.Configuration.OpensAt && now < Data.Configuration.ClosesAt;

    /// <summary>Why the round does not accept applications now, for the problem response; null when it does.</summary>
    public string? WhyClosedFor(DateTimeOffset now) =>
        AcceptsApplications(now) ? null
        : Data.Status == RoundStatus.Draft ? "The round has not been opened yet."
        : Data.Status == RoundStatus.Open && now < Data.Configuration.OpensAt ? $"The round opens at {AmsterdamTime.ToLocal(Data.Configuration.OpensAt):yyyy-MM-dd HH:mm} (Amsterdam time)."
        : $"The round closed at {AmsterdamTime.ToLocal(Data.ClosedAt ?? Data.Configuration.ClosesAt):yyyy-MM-dd HH:mm} (Amsterdam time).";

    public bool IsDueToClose(DateTimeOffset now) => Data.Status == RoundStatus.Open && now >= Data.Configuration.ClosesAt;

    public void Configure(RoundConfiguration configuration)
    {
        Fire(Trigger.Configure, "change the configuration of");
        DomainRuleException.ThrowIfAny("The round configuration is not valid.", configuration.Problems());
        Data = Data with { Configuration = configuration with { Version = Data.Configuration.Version + 1 } };
    }

    /// <summary>Opens the draft for applications; not when its scheme has been retired since the draft was made.</summary>
    public void Open(SchemeData scheme, DateTimeOffset now)
    {
        if (scheme.Id != Data.SchemeId)
        {
            throw new ArgumentException($"Round {Data.Id} is of scheme {Data.SchemeId}, not {scheme.Id}.", nameof(scheme));
        }

        if (Data.Status == RoundStatus.Draft)
        {
            ThrowIfRetired(scheme, "open");
        }

        if (Data.Status == RoundStatus.Draft && Data.Configuration.ClosesAt <= now)
        {
            throw new DomainRuleException("closesAt", "is in the past; a round must close after it opens");
        }

        Fire(Trigger.Open, "open");
        // The analysis plan is committed with the configuration: kept as it stands now, defaults written out, so that
        // what was committed never depends on a later release's defaults.
        Data = Data with { OpenedAt = now, Configuration = Data.Configuration with { AnalysisPlan = Data.Configuration.EffectiveAnalysisPlan } };
    }

    /// <returns>Whether this closed the round; false when it was closed already, and nothing changes.</returns>
    public bool Close(DateTimeOffset now)
    {
        var closedAlready = Data.Status == RoundStatus.Closed;
        Fire(Trigger.Close, "close");
        if (closedAlready)
        {
            return false;
        }

        Data = Data with { ClosedAt = now };
        return true;
    }

    /// <summary>
    /// Ministry staff ask for the pool to be frozen; it is computed in the background from every application of the round
    /// (<see cref="CompletePoolFreeze"/>). Asking again while it is being frozen, or once it is, changes nothing.
    /// </summary>
    /// <returns>Whether this asked for the freeze; false when it had been asked for already.</returns>
    public bool RequestPoolFreeze(DateTimeOffset now)
    {
        var askedAlready = Data.Status is RoundStatus.PoolFreezing or RoundStatus.PoolFrozen;
        Fire(Trigger.RequestPoolFreeze, "freeze the pool of");
        if (askedAlready)
        {
            return false;
        }

        Data = Data with { PoolFreezeRequestedAt = now, PoolFreezeRefusal = null };
        return true;
    }

    /// <summary>
    /// The freeze asked for, with what the round's applications showed: the pool is frozen under its hash, or — while a
    /// submitted application still awaits its eligibility decision, or, where the committee assesses before the draw,
    /// an eligible one its advice — refused, and the round is Closed again with the reason recorded.
    /// </summary>
    /// <param name="undecided">Submitted applications still without an eligibility decision.</param>
    /// <param name="unadvised">Eligible applications still without the committee's advice (counted only where it assesses before the draw).</param>
    /// <returns>Why the freeze was refused; null when the pool is frozen.</returns>
    public string? CompletePoolFreeze(int undecided, int unadvised, string poolHash, int poolSize, DateTimeOffset now)
    {
        var refusal = undecided > 0 ? $"an eligibility decision is still missing for {English.Count(undecided, "submitted application")}"
            : unadvised > 0 && Data.Configuration.Allocation.AssessesBeforeDraw
                ? $"the committee's advice is still missing for {English.Count(unadvised, "eligible application")}, and this round assesses before the draw"
            : null;
        if (refusal is not null)
        {
            Fire(Trigger.RefusePoolFreeze, "refuse the freeze of");
            Data = Data with { PoolFreezeRefusal = refusal };
            return refusal;
        }

        Fire(Trigger.FreezePool, "freeze the pool of");
        Data = Data with { PoolFrozenAt = now, PoolHash = poolHash, PoolSize = poolSize };
        return null;
    }

    /// <summary>Every applicant has been told the round closed (the notices go out per application).</summary>
    public void MarkClosureNoticesSent()
    {
        if (Data.ClosedAt is null)
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), "send closure notices for");
        }

        Data = Data with { ClosureNoticesSent = true };
    }

    public const string MinistryParty = "ministry";

    /// <summary>A party commits to its seed before the round closes (or, after a recorded re-draw, before the new draw).</summary>
    public void CommitSeed(string party, string commitment, string postedBy, DateTimeOffset now)
    {
        if (!AllocationMethod.Randomises(Data.Configuration.Allocation.Method))
        {
            throw InvalidTransitionException.Because("round", Data.Status.ToString(), "accept seed commitments for",
                "This round shares its budget pro rata: every eligible request is cut by the same fraction and nothing is drawn, so it takes no seeds.");
        }

        var lottery = Data.LotteryState;
        var open = Data.Status is RoundStatus.Draft or RoundStatus.Open || (Data.Status == RoundStatus.PoolFrozen && lottery.AcceptsNewCommitments);
        if (!open)
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), "accept seed commitments for");
        }

        if (commitment.Length != 64 || !commitment.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
        {
            throw new DomainRuleException("commitment", "must be the lowercase hex SHA-256 of a 32-byte seed (64 characters)");
        }

        if (lottery.Commitments.Any(c => c.Party == party))
        {
            throw new DomainRuleException("party", $"{party} has already committed; a commitment cannot be changed");
        }

        Data = Data with { Lottery = lottery with { Commitments = [.. lottery.Commitments, new SeedCommitment(party, commitment, postedBy, now)] } };
    }

    /// <summary>A party reveals its seed once the pool is frozen; a seed that does not match its commitment is refused.</summary>
    public void RevealSeed(string party, byte[] seed, DateTimeOffset now)
    {
        var lottery = Data.LotteryState;
        if (Data.Status != RoundStatus.PoolFrozen)
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), "reveal seeds for", "the pool must be frozen first");
        }

        var commitment = lottery.Commitments.FirstOrDefault(c => c.Party == party)
            ?? throw new DomainRuleException("party", $"{party} has no commitment in this round");
        if (lottery.Reveals.Any(r => r.Party == party))
        {
            throw new DomainRuleException("party", $"{party} has already revealed its seed");
        }

        if (seed.Length != 32 || Lottery.LotteryDraw.Commitment(seed) != commitment.Commitment)
        {
            throw new DomainRuleException("seed", $"the seed does not match {party}'s commitment");
        }

        Data = Data with { Lottery = lottery with { Reveals = [.. lottery.Reveals, new RevealedSeed(party, Convert.ToHexStringLower(seed), now)] } };
    }

    /// <summary>The seeds in commitment order, once every committed party (the ministry at least) has revealed.</summary>
    public IReadOnlyList<byte[]>? SeedsForDraw()
    {
        var lottery = Data.LotteryState;
        if (Data.Status is not (RoundStatus.PoolFrozen or RoundStatus.Drawing))
        {
            return null;
        }

        // Pro rata draws nothing: its allocation is computed from the pool and the design alone.
        if (!AllocationMethod.Randomises(Data.Configuration.Allocation.Method))
        {
            return [];
        }

        if (lottery.Commitments.All(c => c.Party != MinistryParty) || lottery.Commitments.Count != lottery.Reveals.Count)
        {
            return null;
        }

        return [.. lottery.Commitments.Select(c => Convert.FromHexString(lottery.Reveals.Single(r => r.Party == c.Party).Seed))];
    }

    /// <summary>
    /// Ministry staff ask for the draw; it is computed in the background from the frozen pool and the revealed seeds
    /// (<see cref="SeedsToDraw"/>, <see cref="RecordDraw"/>), as of the moment asked. A round is drawn once: asking
    /// before every committed party revealed is refused as incomplete, and once it is drawn as out of turn, saying
    /// whether its draw can still be set aside. Asking again while it is being drawn changes nothing.
    /// </summary>
    /// <returns>Whether this asked for the draw; false when it had been asked for already.</returns>
    public bool RequestDraw(DateTimeOffset now)
    {
        if (Data.Status == RoundStatus.Drawing)
        {
            return false;
        }

        if (!_machine.CanFire(Trigger.RequestDraw))
        {
            throw WhyNoDraw();
        }

        _ = SeedsForDraw() ?? throw new DomainRuleException("seeds", "every committed party (the ministry at least) must reveal its seed before the draw");
        _machine.Fire(Trigger.RequestDraw);
        Data = Data with { DrawRequestedAt = now };
        return true;
    }

    /// <summary>The seeds of the draw asked for, and the moment it was asked, which is the moment the protocol records as drawn.</summary>
    public (IReadOnlyList<byte[]> Seeds, DateTimeOffset DrawnAt) DrawToCompute()
    {
        if (!_machine.CanFire(Trigger.RecordDraw))
        {
            throw WhyNoDraw();
        }

        return (SeedsForDraw()!, Data.DrawRequestedAt!.Value);
    }

    /// <summary>The draw asked for, computed: its protocol is stored under its hash, published at once unless the balance check holds it.</summary>
    public void RecordDraw(string protocolHash, bool drawNeeded, bool holdForBalance = false)
    {
        var (_, drawnAt) = DrawToCompute();
        _machine.Fire(Trigger.RecordDraw);
        Data = Data with
        {
            Lottery = Data.LotteryState with
            {
                Draw = new DrawRecord(protocolHash, drawnAt, drawNeeded, HeldForBalance: holdForBalance, PublishedAt: holdForBalance ? null : drawnAt),
                AcceptsNewCommitments = false,
            },
        };
    }

    /// <summary>Ministry staff looked at the flagged imbalance and release the results anyway, saying why.</summary>
    public void ConfirmPublication(string note, DateTimeOffset now)
    {
        var draw = Data.LotteryState.Draw;
        if (Data.Status != RoundStatus.Drawn || draw is not { PublishedAt: null })
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), "confirm publication of the draw of");
        }

        if (string.IsNullOrWhiteSpace(note))
        {
            throw new DomainRuleException("note", "say why the results may be published despite the imbalance");
        }

        Data = Data with { Lottery = Data.LotteryState with { Draw = draw with { PublishedAt = now, PublicationNote = note.Trim() } } };
    }

    public bool DrawIsPublished => Data.LotteryState.Draw is { PublishedAt: not null };

    /// <summary>
    /// A budget top-up moves the cut-off down the reserve list. Pro rata has none: it shares the whole budget among every
    /// viable request at once, so more money would change every share, which is a new decision on each of them.
    /// </summary>
    private void CheckTopUp()
    {
        if (Data.Configuration.Allocation.Method == AllocationMethod.ProRata)
        {
            throw InvalidTransitionException.Because("round", Data.Status.ToString(), "top up the budget of",
                "This round shares its budget pro rata: every share was fixed at the allocation and there is no reserve list for a top-up to reach; more money would change every share.");
        }
    }

    /// <summary>
    /// Whether the cut-off may move by <paramref name="change"/>, leaving <paramref name="controlAfter"/> on the reserve list.
    /// A top-up (the ministry raising the budget) that selects someone and leaves fewer control units than the round's
    /// minimum is refused unless staff confirm having seen what it costs the evaluation
    /// (<see cref="ControlGroupTooSmallException"/>). A place given up moves the cut-off whatever it leaves: the next in
    /// the published order has the right to it.
    /// </summary>
    public void CheckCutoffChange(CutoffChange change, int controlAfter, bool smallControlGroupConfirmed)
    {
        if (change.BudgetChange > 0 && StratumOfTopUp(change.Stratum) != change.Stratum)
        {
            throw new DomainRuleException("stratum", "this round's design has no strata: a top-up raises the whole budget");
        }

        if (change.BudgetChange > 0 && change.NewlySelected.Count > 0 && !smallControlGroupConfirmed && controlAfter < Data.Configuration.MinimumControlGroup)
        {
            throw new ControlGroupTooSmallException(controlAfter, Data.Configuration.MinimumControlGroup);
        }
    }

    /// <summary>
    /// The stratum whose budget a top-up raises: none in a round without strata; in a stratified round the one asked
    /// for, which the top-up must name. A round that shares its budget pro rata takes no top-up (<see cref="CheckTopUp()"/>).
    /// </summary>
    public string? StratumOfTopUp(string? requested)
    {
        CheckTopUp();
        return Data.Configuration.Allocation.Strata == "none" ? null
            : requested ?? throw new DomainRuleException("stratum", "this round's design is stratified: say which stratum's budget to raise");
    }

    /// <summary>A cut-off change republished the protocol under a new hash (<see cref="CheckCutoffChange"/>); the earlier versions stay stored.</summary>
    public void RecordCutoffChange(string protocolHash, CutoffChange change, int controlAfter, bool smallControlGroupConfirmed)
    {
        var draw = Data.LotteryState.Draw;
        if (Data.Status < RoundStatus.Drawn || draw is not { PublishedAt: not null })
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), "move the cut-off of", "the draw must be published first");
        }

        CheckCutoffChange(change, controlAfter, smallControlGroupConfirmed);

        Data = Data with { Lottery = Data.LotteryState with { Draw = draw with { ProtocolHash = protocolHash }, ProtocolVersions = [.. Data.LotteryState.ProtocolVersions ?? [], draw.ProtocolHash] } };
    }

    /// <summary>
    /// Sets a draw aside, with a reason everyone can read; a new draw needs new commitments and reveals.
    /// The old protocol stays stored and listed.
    /// </summary>
    public void Redraw(string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException("reason", "a re-draw needs a reason");
        }

        if (Data.LotteryState.Draw is { PublishedAt: not null })
        {
            throw new DomainRuleException("draw", "a published draw stands: applicants know their outcome and the control group depends on it; later changes go down the published order");
        }

        Fire(Trigger.Redraw, "re-draw");
        var lottery = Data.LotteryState;
        Data = Data with
        {
            Lottery = new RoundLottery([], [], null, [.. lottery.Superseded, lottery.Draw! with { SupersededReason = reason.Trim(), SupersededAt = now }], AcceptsNewCommitments: true),
            DrawRequestedAt = null,
        };
    }

    /// <summary>Decisions follow from the draw's outcome, so they wait while the balance check holds the draw (docs/design.md §4).</summary>
    public void StartDecisions()
    {
        if (Data.Status == RoundStatus.Drawn && !DrawIsPublished)
        {
            throw new DomainRuleException("draw", "the balance check holds the draw; confirm its publication or re-draw before decisions start");
        }

        Fire(Trigger.StartDecisions, "start decisions for");
    }

    public void CompleteDecisions() => Fire(Trigger.CompleteDecisions, "complete decisions for");

    public void StartFollowUp() => Fire(Trigger.StartFollowUp, "start follow-up for");

    public void CompleteEvaluation() => Fire(Trigger.CompleteEvaluation, "complete the evaluation of");

    /// <summary>The hash of the analysis plan committed when the round opened: what every draw's protocol carries as analysisPlanHash.</summary>
    public string CommittedAnalysisPlanHash => Data.AnalysisPlan?.Hash
        ?? throw new InvalidOperationException("A round's analysis plan is committed when it opens; this round has not opened.");

    public const int MaxAmendmentReasonLength = 2000;

    /// <summary>
    /// Puts another analysis plan in force after the draw, recorded with who, when and why; the plan committed
    /// before the draw and every earlier amendment stay listed. Only once the draw is published, and not once
    /// the evaluation is complete; a plan must fit the round's waves and export, and differ from the one in force.
    /// </summary>
    public PlanAmendment AmendAnalysisPlan(EvaluationDesign plan, string reason, string by, DateTimeOffset now)
    {
        if (!_machine.CanFire(Trigger.AmendAnalysisPlan))
        {
            throw WhyNoAmendment();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException("reason", "say why the analysis plan changes after the draw");
        }

        if (reason.Trim().Length > MaxAmendmentReasonLength || reason.Any(char.IsControl))
        {
            throw new DomainRuleException("reason", $"must be a single line of at most {MaxAmendmentReasonLength} characters");
        }

        if (plan.PrimaryWave is null)
        {
            throw new DomainRuleException("plan.primaryWave", "an amended plan names its primary wave");
        }

        DomainRuleException.ThrowIfAny("The analysis plan is not valid for this round.", Data.Configuration.AnalysisPlanProblems(plan, "plan"));
        var inForce = Data.AnalysisPlan!.InForce;
        var hash = plan.Hash();
        if (hash == inForce.Hash())
        {
            throw new DomainRuleException("plan", $"is the plan in force already (hash {hash}); an amendment changes at least one field");
        }

        _machine.Fire(Trigger.AmendAnalysisPlan);
        var amendment = new PlanAmendment(now, by, reason.Trim(), hash, plan);
        Data = Data with { PlanAmendments = [.. Data.PlanAmendments ?? [], amendment] };
        return amendment;
    }

    private InvalidTransitionException WhyNoAmendment()
    {
        var status = Data.Status.ToString();
        return Data.Status switch
        {
            RoundStatus.Evaluated => InvalidTransitionException.Because("round", status, "amend the analysis plan of",
                "This round's evaluation is complete: it was done under the analysis plan in force then, which stays as it is. A further analysis is a new one, outside the round's committed plan."),
            _ => InvalidTransitionException.Because("round", status, "amend the analysis plan of",
                $"This round is {status} and its draw is not published: until it is, the analysis plan stands as committed when the round opened"
                + (Data.Status == RoundStatus.Draft ? "; in Draft, change the plan with the configuration." : ", announced before the draw. Amendments are recorded after the draw is published.")),
        };
    }

    private InvalidTransitionException WhyNoDraw()
    {
        var status = Data.Status.ToString();
        if (Data.Status < RoundStatus.PoolFrozen)
        {
            return InvalidTransitionException.Because("round", status, "draw",
                $"This round cannot be drawn yet: it is {status}, and its pool must be frozen and every committed party must reveal its seed first.");
        }

        if (Data.Status == RoundStatus.PoolFrozen)
        {
            return InvalidTransitionException.Because("round", status, "record the draw of",
                "This round's draw has not been asked for (or was set aside by a re-draw): ministry staff ask for it once every committed party revealed its seed.");
        }

        return Data.LotteryState.Draw is { PublishedAt: null }
            ? InvalidTransitionException.Because("round", status, "draw",
                "This round has already been drawn. Its draw is held by the balance check and not yet published: confirm its publication, "
                + "or set it aside with a re-draw that states the reason; after new seed commitments and reveals the round can be drawn again.")
            : InvalidTransitionException.Because("round", status, "draw",
                "This round has already been drawn and its draw is published. A published draw stands: it cannot be drawn again or set aside. "
                + "Later changes (budget top-ups, withdrawals, declines) move the cut-off down the published order.");
    }

    public static string Diagram() => Stateless.Graph.MermaidGraph.Format(Sample()._machine.GetInfo());

    private static Round Sample() => new(new RoundData("", "", "", RoundStatus.Draft, null!, null, null, null, null, null));

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}

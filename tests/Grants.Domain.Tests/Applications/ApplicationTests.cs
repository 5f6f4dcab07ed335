using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;

namespace Grants.Domain.Tests.Applications;

public sealed class ApplicationTests
{
    [Fact]
    public void IdIsDerivedFromRoundAndOrganisation()
    {
        Assert.Equal("app-0123456789ab-12345678", Application.IdFor("round-0123456789ab", "12345678"));
        Assert.NotEqual(Application.IdFor("round-0123456789ab", "12345678"), Application.IdFor("round-0123456789ab", "87654321"));
    }

    /// <summary>An award stands while awarded or accepted; a proposal, a decline, a lapse into withdrawal or a rejection holds none.</summary>
    [Fact]
    public void AnAwardStandsOnlyWhileAwardedOrAccepted() =>
        Assert.Equal([ApplicationStatus.Awarded, ApplicationStatus.Accepted],
            Enum.GetValues<ApplicationStatus>().Where(status => Application.HoldsAward(Builders.Submitted().Data with { Status = status })));

    /// <summary>Whoever asks, a draft is started and submitted only while its round accepts applications.</summary>
    [Fact]
    public void NoDraftIsStartedOrSubmittedOutsideItsRoundsWindow()
    {
        var round = Builders.OpenRoundData();
        var closesAt = round.Configuration.ClosesAt;

        Assert.Contains("opens at", Assert.Throws<RoundNotOpenException>(() => Application.Start(Builders.MetalCompany(), round, round.Configuration.OpensAt.AddTicks(-1))).Message, StringComparison.Ordinal);
        Assert.Contains("closed at", Assert.Throws<RoundNotOpenException>(() => Application.Start(Builders.MetalCompany(), round, closesAt)).Message, StringComparison.Ordinal);
        var draft = Round.Create("round-0123456789ab", Builders.Scheme, "ESF-E 2008", Builders.Esf2008()).Data;
        Assert.Contains("not been opened", Assert.Throws<RoundNotOpenException>(() => Application.Start(Builders.MetalCompany(), draft, Builders.Opens)).Message, StringComparison.Ordinal);

        var late = Builders.ReadyToSubmit();
        Assert.Throws<RoundNotOpenException>(() => late.Submit(round, closesAt));
        Assert.Equal(ApplicationStatus.Draft, late.Data.Status);

        // Closed by hand before its closing time: the window ends with the closure.
        var closedEarly = new Round(round);
        Assert.True(closedEarly.Close(Builders.Opens.AddDays(3)));
        var refused = Assert.Throws<RoundNotOpenException>(() => Builders.ReadyToSubmit().Submit(closedEarly.Data, Builders.Opens.AddDays(4)));
        Assert.Contains("closed at 2008-04-04", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADraftIsSubmittedOnlyToItsOwnRound()
    {
        var other = Builders.OpenRoundData() with { Id = "round-ba9876543210" };

        Assert.Throws<ArgumentException>(() => Builders.ReadyToSubmit().Submit(other, Builders.Opens.AddDays(2)));
    }

    [Fact]
    public void SubmitGivesReceiptAndTimestamp()
    {
        var application = Builders.ReadyToSubmit();
        var at = Builders.Opens.AddDays(2);
        application.Submit(Builders.OpenRoundData(Builders.Esf2008()), at);
        Assert.Equal(ApplicationStatus.Submitted, application.Data.Status);
        Assert.Equal(at, application.Data.SubmittedAt);
        Assert.Matches("^GR-20080403-[0-9A-F]{8}$", application.Data.ReceiptNumber);
        Assert.Empty(application.Data.AutomaticFindings);
    }

    [Fact]
    public void SubmitListsEverythingMissingGivenEmptyDraft()
    {
        var application = Application.Start(Builders.MetalCompany(), Builders.OpenRoundData(Builders.Esf2008()), Builders.Opens);
        var error = Assert.Throws<DomainRuleException>(() => application.Submit(Builders.OpenRoundData(Builders.Esf2008()), Builders.Opens));
        Assert.Equal(
            ["attachments", "consentToFollowUp", "durationMonths", "requestedAmountCents", "startDate", "summary", "themes", "title"],
            error.Errors.Keys.Order());
        Assert.Equal(ApplicationStatus.Draft, application.Data.Status);
    }

    /// <summary>A draft saves whatever it lacks and says, field by field, what submitting it now would be refused for.</summary>
    [Fact]
    public void ADraftRecordsWhatItsSubmissionWouldBeRefusedFor()
    {
        var round = Builders.Esf2008();
        var application = Application.Start(Builders.MetalCompany(), Builders.OpenRoundData(round), Builders.Opens);
        Assert.Equal(["attachments", "consentToFollowUp", "durationMonths", "requestedAmountCents", "startDate", "summary", "themes", "title"],
            application.Data.DraftFindings!.Keys.Order());

        Assert.Throws<DomainRuleException>(() => application.Edit(Builders.CompleteContent() with { Themes = ["robots"] }, round));
        Assert.Equal("", application.Data.Content.Title);

        application.Edit(Builders.CompleteContent() with { Themes = ["flexible-work-organisation", "process-improvement"] }, round);
        Assert.Equal("Self-rostering in production", application.Data.Content.Title);
        Assert.Equal(["'process-improvement' is not a theme of this round"], application.Data.DraftFindings!["themes"]);
        Assert.Equal(["the project plan is missing", "the budget is missing"], application.Data.DraftFindings["attachments"]);
        var refusal = Assert.Throws<DomainRuleException>(() => application.Submit(Builders.OpenRoundData(round), Builders.Opens));
        Assert.Equal(application.Data.DraftFindings, refusal.Errors);

        application.Edit(Builders.CompleteContent(), round);
        application.Attach(Builders.Pdf(AttachmentKinds.ProjectPlan), round);
        application.Attach(Builders.Pdf(AttachmentKinds.Budget), round);
        Assert.Empty(application.Data.DraftFindings!);
        application.Submit(Builders.OpenRoundData(round), Builders.Opens);
        Assert.Null(application.Data.DraftFindings);
    }

    /// <summary>A voucher application asks only what a voucher needs: no project start or length, and no budget.</summary>
    [Fact]
    public void AVoucherApplicationNeedsNoProjectStartLengthOrBudget()
    {
        var vouchers = Builders.Esf2008() with { Instrument = Grants.Domain.Schemes.Instrument.Voucher, VoucherValueCents = 95_000_00 };
        var application = Application.Start(Builders.MetalCompany(), Builders.OpenRoundData(vouchers), Builders.Opens);
        application.Edit(Builders.CompleteContent() with { StartDate = null, DurationMonths = null }, vouchers);
        application.Attach(Builders.Pdf(AttachmentKinds.ProjectPlan), vouchers);

        application.Submit(Builders.OpenRoundData(vouchers), Builders.Opens);

        Assert.Equal(ApplicationStatus.Submitted, application.Data.Status);
        var subsidy = Application.Start(Builders.MetalCompany(), Builders.OpenRoundData(Builders.Esf2008()), Builders.Opens);
        subsidy.Edit(Builders.CompleteContent() with { StartDate = null, DurationMonths = null }, Builders.Esf2008());
        subsidy.Attach(Builders.Pdf(AttachmentKinds.ProjectPlan), Builders.Esf2008());
        var refusal = Assert.Throws<DomainRuleException>(() => subsidy.Submit(Builders.OpenRoundData(Builders.Esf2008()), Builders.Opens));
        Assert.Equal(["attachments", "durationMonths", "startDate"], refusal.Errors.Keys.Order());
    }

    [Fact]
    public void SubmitRefusesAmountAboveRoundMaximum()
    {
        var application = Builders.ReadyToSubmit();
        application.Edit(Builders.CompleteContent() with { RequestedAmountCents = 120_000_01 }, Builders.Esf2008());
        var error = Assert.Throws<DomainRuleException>(() => application.Submit(Builders.OpenRoundData(Builders.Esf2008()), Builders.Opens));
        Assert.Contains("requestedAmountCents", error.Errors.Keys);
    }

    [Fact]
    public void SubmitRecordsFindingsGivenOrganisationOutsideRules()
    {
        var application = Builders.ReadyToSubmit();
        var rules = new EligibilityRules(["care"], ["small"], AllowPrivate: false, AllowPublic: true);
        application.Submit(Builders.OpenRoundData(Builders.Esf2008() with { Eligibility = rules }), Builders.Opens);
        Assert.Equal(["sector-not-eligible", "size-not-eligible", "private-not-eligible"], application.Data.AutomaticFindings);
    }

    [Fact]
    public void AttachmentsFreezeAtSubmission()
    {
        var application = Builders.Submitted();
        Assert.False(application.CanAttach);
        Assert.Throws<InvalidTransitionException>(() => application.Attach(Builders.Pdf(AttachmentKinds.Budget), Builders.Esf2008()));
        Assert.Throws<InvalidTransitionException>(() => application.Edit(Builders.CompleteContent(), Builders.Esf2008()));
    }

    [Fact]
    public void InformationRequestRoundTripReturnsToSubmitted()
    {
        var application = Builders.Submitted();
        var request = application.RequestInformation("Please send the signed budget.", Builders.Opens.AddDays(20), Builders.Opens.AddDays(5));
        Assert.Equal(ApplicationStatus.InformationRequested, application.Data.Status);
        Assert.True(application.CanAttach);

        application.SupplyInformation(request.Id, "Attached the signed budget.", Builders.Opens.AddDays(6));

        Assert.Equal(ApplicationStatus.Submitted, application.Data.Status);
        Assert.Equal("Attached the signed budget.", application.Data.InformationRequests.Single().Answer);
    }

    [Fact]
    public void UnansweredRequestExpiresIntoIneligible()
    {
        var application = Builders.Submitted();
        application.RequestInformation("Please send the signed budget.", Builders.Opens.AddDays(20), Builders.Opens.AddDays(5));
        Assert.False(application.IsInformationOverdue(Builders.Opens.AddDays(19)));
        Assert.Throws<InvalidTransitionException>(() => application.ExpireInformationRequest(Builders.Opens.AddDays(19)));

        application.ExpireInformationRequest(Builders.Opens.AddDays(21));

        Assert.Equal(ApplicationStatus.Ineligible, application.Data.Status);
        Assert.Equal(["information-not-supplied"], application.Data.Eligibility!.ReasonCodes);
        Assert.True(application.Data.InformationRequests.Single().Expired);
    }

    [Fact]
    public void LateAnswerIsRefused()
    {
        var application = Builders.Submitted();
        var request = application.RequestInformation("Q?", Builders.Opens.AddDays(20), Builders.Opens.AddDays(5));
        Assert.Throws<DomainRuleException>(() => application.SupplyInformation(request.Id, "A", Builders.Opens.AddDays(21)));
    }

    [Fact]
    public void IneligibleNeedsAReason()
    {
        var application = Builders.Submitted();
        Assert.Throws<DomainRuleException>(() => application.DecideEligibility(false, [], null, "ministry", Builders.Opens));
        application.DecideEligibility(false, ["sector-not-eligible"], "Retail is out of scope.", "ministry", Builders.Opens);
        Assert.Equal(ApplicationStatus.Ineligible, application.Data.Status);
    }

    [Fact]
    public void EligibleEntersPoolAndCanStillBeWithdrawn()
    {
        var application = Builders.Submitted();
        application.DecideEligibility(true, ["ignored"], null, "ministry", Builders.Opens);
        Assert.Empty(application.Data.Eligibility!.ReasonCodes);
        application.EnterPool("P-0a1b2c3d4e");
        Assert.Equal((ApplicationStatus.InPool, "P-0a1b2c3d4e"), (application.Data.Status, application.Data.PoolId));
        application.Withdraw("Project cancelled", Builders.Opens);
        Assert.Equal(ApplicationStatus.Withdrawn, application.Data.Status);
    }

    [Fact]
    public void IneligibleCannotBeWithdrawnOrDecidedAgain()
    {
        var application = Builders.Submitted();
        application.DecideEligibility(false, ["other"], null, "ministry", Builders.Opens);
        Assert.Throws<InvalidTransitionException>(() => application.Withdraw("x", Builders.Opens));
        Assert.Throws<InvalidTransitionException>(() => application.DecideEligibility(true, [], null, "ministry", Builders.Opens));
    }
}

public sealed class ApplicationDecisionTests
{
    private static readonly DateTimeOffset Now = Builders.Opens.AddDays(60);

    private static Application Selected()
    {
        var application = Builders.Submitted();
        application.DecideEligibility(true, [], null, "ministry", Builders.Opens);
        application.EnterPool("P-0000000001");
        application.RecordDrawOutcome(new DrawOutcome(true, "all", 1, null, "hash"));
        return application;
    }

    [Fact]
    public void AwardAboveTheThresholdNeedsAnotherApprover()
    {
        var application = Selected();
        application.Award(95_000_00, Builders.Esf2008(), AssessmentOf(application, scored: true, advised: true), 50_000_00, "ministry-1", Now, TimeSpan.FromDays(28));
        Assert.Equal(ApplicationStatus.AwardProposed, application.Data.Status);
        Assert.Throws<DomainRuleException>(() => application.ApproveAward("ministry-1", Builders.Esf2008(), Now, TimeSpan.FromDays(28)));
        application.ApproveAward("ministry-2", Builders.Esf2008(), Now, TimeSpan.FromDays(28));
        Assert.Equal((ApplicationStatus.Awarded, "ministry-2"), (application.Data.Status, application.Data.Award!.ApprovedBy));
    }

    [Fact]
    public void ApprovalIsRefusedGivenNoProposedAward()
    {
        var application = Selected();
        var before = application.Data;
        Assert.Throws<InvalidTransitionException>(() => application.ApproveAward("ministry-2", Builders.Esf2008(), Now, TimeSpan.FromDays(28)));
        Assert.Same(before, application.Data);
    }

    [Fact]
    public void AwardCannotExceedTheRequestOrTheMaximum()
    {
        var application = Selected();
        var advised = AssessmentOf(application, scored: true, advised: true);
        Assert.Throws<DomainRuleException>(() => application.Award(95_000_01, Builders.Esf2008(), advised, 200_000_00, "m", Now, TimeSpan.FromDays(28)));
        Assert.Throws<DomainRuleException>(() => application.Award(95_000_00, Builders.Esf2008() with { MaxPerApplicationCents = 90_000_00 }, advised, 200_000_00, "m", Now, TimeSpan.FromDays(28)));
        Assert.Equal(ApplicationStatus.Selected, application.Data.Status);
    }

    [Fact]
    public void UnansweredAwardLapsesAtItsDeadline()
    {
        var application = Selected();
        application.Award(80_000_00, Builders.Esf2008(), AssessmentOf(application, scored: true, advised: true), 100_000_00, "m", Now, TimeSpan.FromDays(28));
        Assert.False(application.HasLapsed(Now.AddDays(27)));
        Assert.Throws<DomainRuleException>(() => application.Answer(true, Now.AddDays(29)));
        application.Lapse(Now.AddDays(29));
        Assert.Equal(ApplicationStatus.Declined, application.Data.Status);
        Assert.True(application.Data.Acceptance!.Lapsed);
    }

    private static readonly Criterion[] Criteria = [new("quality", "Quality of the plan", 1, 5, 1)];

    /// <summary>The committee's assessment of the application: assigned to two members, then — when <paramref name="advised"/> — scored by both and advised on by the chair.</summary>
    private static AssessmentData AssessmentOf(Application application, bool scored, bool advised)
    {
        var assessment = Assessment.Assign(application.Data.Id, application.Data.RoundId, application.Data.Applicant.Kvk, 1, ["anna", "bram"]);
        foreach (var member in scored || advised ? new[] { "anna", "bram" } : ["anna"])
        {
            assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, Criteria), member, [new CriterionScore("quality", 4, "Milestones and budget match.")], Now);
        }

        if (advised)
        {
            assessment.RecordAdvice(Builders.ChairedCommittee(assessment.Data.RoundId), "chair", true, "Fundable.", Now);
        }

        return assessment.Data;
    }

    [Fact]
    public void AwardWaitsForTheCommitteesAdviceWhereTheRoundAssessesAfterTheDraw()
    {
        var round = Builders.Esf2008();
        var application = Selected();
        var before = application.Data;

        var unassessed = Assert.Throws<InvalidTransitionException>(() => application.Award(95_000_00, round, null, 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28)));
        Assert.Contains("no assessment has been assigned", unassessed.Message);
        var unadvised = Assert.Throws<InvalidTransitionException>(() => application.Award(95_000_00, round, AssessmentOf(application, scored: true, advised: false), 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28)));
        Assert.Contains("has not advised", unadvised.Message);
        // Above the threshold the award would only be proposed: that waits for the advice just the same.
        Assert.Throws<InvalidTransitionException>(() => application.Award(95_000_00, round, AssessmentOf(application, scored: false, advised: false), 50_000_00, "ministry-1", Now, TimeSpan.FromDays(28)));
        Assert.Same(before, application.Data);

        application.Award(95_000_00, round, AssessmentOf(application, scored: true, advised: true), 50_000_00, "ministry-1", Now, TimeSpan.FromDays(28));
        Assert.Equal(ApplicationStatus.AwardProposed, application.Data.Status);
    }

    [Fact]
    public void ApplicationSelectedFromTheReserveListWaitsForTheCommitteesAdviceLikeTheOthers()
    {
        var application = Builders.Submitted();
        application.DecideEligibility(true, [], null, "ministry", Builders.Opens);
        application.EnterPool("P-0000000002");
        application.RecordDrawOutcome(new DrawOutcome(false, "all", 4, 1, "hash"));
        application.SelectFromReserve("hash-after-a-rejection");

        Assert.Throws<InvalidTransitionException>(() => application.Award(95_000_00, Builders.Esf2008(), null, 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28)));
        Assert.True(application.AwaitsAssessment(Builders.Esf2008()));
        application.Award(95_000_00, Builders.Esf2008(), AssessmentOf(application, scored: true, advised: true), 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28));
        Assert.Equal(ApplicationStatus.Awarded, application.Data.Status);
    }

    [Fact]
    public void AnAssessmentOfAnotherApplicationDoesNotCount()
    {
        var application = Selected();
        var other = Selected();
        var assessment = AssessmentOf(other, scored: true, advised: true) with { ApplicationId = "app-0123456789ab-87654321" };
        Assert.Throws<InvalidTransitionException>(() => application.Award(95_000_00, Builders.Esf2008(), assessment, 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28)));
    }

    [Fact]
    public void VoucherRoundsAwardWhomeverTheLotterySelectsWithoutAnAssessment()
    {
        var vouchers = Builders.Esf2008() with { Instrument = Grants.Domain.Schemes.Instrument.Voucher, VoucherValueCents = 95_000_00 };
        var application = Selected();

        Assert.False(application.AwaitsAssessment(vouchers));
        application.Award(95_000_00, vouchers, null, 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28));

        Assert.Equal(ApplicationStatus.Awarded, application.Data.Status);
    }

    /// <summary>A voucher is redeemed or returned, never accepted: its award asks no answer, so it cannot be answered and never lapses.</summary>
    [Fact]
    public void AVoucherAwardAsksNoAnswerAndNeverLapses()
    {
        var vouchers = Builders.Esf2008() with { Instrument = Grants.Domain.Schemes.Instrument.Voucher, VoucherValueCents = 95_000_00 };
        var (voucher, subsidy) = (Selected(), Selected());
        voucher.Award(95_000_00, vouchers, null, 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28));
        subsidy.Award(95_000_00, Builders.Esf2008(), AssessmentOf(subsidy, scored: true, advised: true), 100_000_00, "ministry-1", Now, TimeSpan.FromDays(28));

        Assert.Equal((false, null), (voucher.AsksAnswer, voucher.Data.Award!.AcceptBy));
        var refusal = Assert.Throws<InvalidTransitionException>(() => voucher.Answer(true, Now.AddDays(1)));
        Assert.Equal("A voucher needs no acceptance: its holder redeems it at a supplier before it expires, or returns it.", refusal.Message);
        Assert.Throws<InvalidTransitionException>(() => voucher.Answer(false, Now.AddDays(1)));
        Assert.False(voucher.HasLapsed(Now.AddYears(1)));
        Assert.Equal(ApplicationStatus.Awarded, voucher.Data.Status);

        Assert.True(subsidy.AsksAnswer);
        Assert.True(subsidy.HasLapsed(Now.AddDays(29)));
    }

    [Fact]
    public void RejectionNeedsKnownReasons()
    {
        var application = Selected();
        Assert.Throws<DomainRuleException>(() => application.Reject(["bad-luck"], "x", "m", Now));
        application.Reject(["assessment-negative"], "Weak involvement of employees.", "m", Now);
        Assert.Equal(ApplicationStatus.Rejected, application.Data.Status);
    }
}

public sealed class ObjectionTests
{
    private static readonly DateTimeOffset Now = Builders.Opens.AddDays(60);

    private static Application Rejected()
    {
        var application = Builders.Submitted();
        application.DecideEligibility(true, [], null, "ministry", Builders.Opens);
        application.EnterPool("P-0000000001");
        application.RecordDrawOutcome(new DrawOutcome(true, "all", 1, null, "hash"));
        application.Reject(["assessment-negative"], "Too little employee involvement.", "ministry", Now);
        return application;
    }

    [Fact]
    public void UpheldObjectionReturnsToTheAwardPath()
    {
        var application = Rejected();
        application.LodgeObjection("The works council letter was overlooked.", Now.AddDays(10));
        Assert.Equal(ApplicationStatus.UnderObjection, application.Data.Status);
        application.DecideObjection(true, "The letter shows strong involvement.", Now.AddDays(30));
        Assert.Equal(ApplicationStatus.Selected, application.Data.Status);
        Assert.Null(application.Data.Rejection);
        var advised = Assessment.Assign(application.Data.Id, application.Data.RoundId, application.Data.Applicant.Kvk, 1, ["anna"]);
        advised.SubmitScores(Builders.CommitteeOf(advised.Data.RoundId, [new Criterion("quality", "Quality", 1, 5, 1)]), "anna", [new CriterionScore("quality", 2, "Employee involvement not shown.")], Now);
        advised.RecordAdvice(Builders.ChairedCommittee(advised.Data.RoundId), "chair", false, "Not fundable as submitted.", Now);
        application.Award(90_000_00, Builders.Esf2008(), advised.Data, 100_000_00, "ministry", Now.AddDays(31), TimeSpan.FromDays(28));
        Assert.Equal(ApplicationStatus.Awarded, application.Data.Status);
    }

    [Fact]
    public void UpheldObjectionReturnsToEligibleGivenRejectionBeforeTheDraw()
    {
        var application = Builders.Submitted();
        application.DecideEligibility(true, [], null, "ministry", Builders.Opens);
        application.Reject(["assessment-negative"], "The committee advised against the plan.", "ministry", Now);
        application.LodgeObjection("The committee misread the plan.", Now.AddDays(10));
        application.DecideObjection(true, "It was misread.", Now.AddDays(30));
        Assert.Equal(ApplicationStatus.Eligible, application.Data.Status);
        Assert.Null(application.Data.Outcome);
        Assert.Throws<InvalidTransitionException>(() => application.Award(90_000_00, Builders.Esf2008(), null, 100_000_00, "ministry", Now.AddDays(31), TimeSpan.FromDays(28)));
    }

    [Fact]
    public void DismissedObjectionIsFinal()
    {
        var application = Rejected();
        application.LodgeObjection("We disagree.", Now.AddDays(10));
        application.DecideObjection(false, "The assessment stands.", Now.AddDays(30));
        Assert.Equal(ApplicationStatus.Rejected, application.Data.Status);
        var again = Assert.Throws<DomainRuleException>(() => application.LodgeObjection("Again.", Now.AddDays(31)));
        Assert.Contains("already been decided", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondObjectionWhileTheFirstAwaitsItsDecisionIsRefusedAsPending()
    {
        var application = Rejected();
        application.LodgeObjection("We disagree.", Now.AddDays(10));

        var again = Assert.Throws<DomainRuleException>(() => application.LodgeObjection("We still disagree.", Now.AddDays(11)));

        Assert.Contains("awaits its decision", again.Message, StringComparison.Ordinal);
        Assert.Equal("We disagree.", application.Data.Objection!.Grounds);
    }

    [Fact]
    public void ObjectionAfterSixWeeksIsRefusedAndLateDecisionsAreFlagged()
    {
        var late = Rejected();
        Assert.Throws<DomainRuleException>(() => late.LodgeObjection("Too late.", Now.AddDays(43)));

        var pending = Rejected();
        pending.LodgeObjection("We disagree.", Now);
        Assert.False(pending.IsObjectionOverdue(Now.AddDays(41)));
        pending.FlagObjectionOverdue(Now.AddDays(43));
        Assert.True(pending.Data.Objection!.OverdueFlagged);
        Assert.False(pending.IsObjectionOverdue(Now.AddDays(44)));
    }
}

/// <summary>What an applicant is told of its place in the draw comes from the round's current protocol, not from what was true at the draw.</summary>
public sealed class DrawStandingTests
{
    // Six equal requests of 50 for a budget of 150: three selected, three on the reserve list.
    private static readonly DrawEntry[] Pool = [.. Enumerable.Range(1, 6).Select(i => new DrawEntry($"P-{i:0000}", "all", 50))];

    private static LotteryProtocol Drawn() =>
        LotteryProtocol.Draw("round-0123456789ab", Pool, [new byte[32]], new ProtocolDesign("skip", 150, null), 100, Builders.Opens.AddDays(40), Builders.PlanHash);

    private static LotteryProtocol Released(LotteryProtocol protocol, string poolId)
    {
        var order = protocol.Order.Select(o => new RankedEntry(o.Id, o.Stratum, 50, o.Score, o.Rank)).ToList();
        var (state, newly) = CutoffMovement.Apply(new CutoffState(protocol.Selected, protocol.Reserve), order, protocol.Design.ToDesign(), new Dictionary<string, long>(), null, [poolId]);
        return protocol with
        {
            CutoffHistory = [.. protocol.CutoffHistory, new CutoffChange(Builders.Opens.AddDays(50), "rejection", $"{poolId} was rejected.", "ministry", null, 0, [poolId], newly)],
            Selected = state.Selected,
            Reserve = state.Reserve,
        };
    }

    private static Application AsDrawn(LotteryProtocol protocol, string poolId)
    {
        var application = Builders.Submitted();
        application.DecideEligibility(true, [], null, "ministry", Builders.Opens);
        application.EnterPool(poolId);
        var rank = protocol.Order.Single(o => o.Id == poolId).Rank;
        application.RecordDrawOutcome(new DrawOutcome(protocol.Selected.Contains(poolId), "all", rank, protocol.ReservePosition(poolId), "protocol-at-the-draw"));
        return application;
    }

    [Fact]
    public void ReservePositionFollowsTheCutOffAfterTwoMovesUpTheList()
    {
        var drawn = Drawn();
        var last = drawn.Reserve[^1];
        var application = AsDrawn(drawn, last);
        Assert.Equal(3, application.Data.Outcome!.ReservePosition);

        var current = Released(Released(drawn, drawn.Selected[0]), drawn.Selected[1]);

        var standing = application.CurrentOutcome(current, "protocol-after-two-moves")!;
        Assert.Equal((false, 1, "protocol-after-two-moves", application.Data.Outcome.Rank), (standing.Selected, standing.ReservePosition, standing.ProtocolHash, standing.Rank));
        Assert.Equal(3, application.Data.Outcome.ReservePosition); // the stored outcome is what the draw said; the standing is derived
    }

    [Fact]
    public void MovedUpEntryStandsSelectedAndOneThatLeftKeepsItsLastStanding()
    {
        var drawn = Drawn();
        var movedUp = AsDrawn(drawn, drawn.Reserve[0]);
        var leaving = AsDrawn(drawn, drawn.Selected[0]);

        var current = Released(drawn, drawn.Selected[0]);

        Assert.Equal((true, (int?)null, "now"), Standing(movedUp.CurrentOutcome(current, "now")!));
        Assert.Equal((true, (int?)null, "protocol-at-the-draw"), Standing(leaving.CurrentOutcome(current, "now")!));
    }

    private static (bool Selected, int? ReservePosition, string ProtocolHash) Standing(DrawOutcome outcome) => (outcome.Selected, outcome.ReservePosition, outcome.ProtocolHash);
}

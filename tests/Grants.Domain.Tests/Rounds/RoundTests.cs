using Grants.Domain.Allocation;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;

namespace Grants.Domain.Tests.Rounds;

public sealed class RoundTests
{
    [Fact]
    public void CreateStartsInDraftAtVersionOne()
    {
        var round = Round.Create("round-1", Builders.Scheme, " ESF-E 2008 ", Builders.Esf2008() with { Version = 7 });
        Assert.Equal(RoundStatus.Draft, round.Data.Status);
        Assert.Equal(1, round.Data.Configuration.Version);
        Assert.Equal("ESF-E 2008", round.Data.Name);
    }

    [Fact]
    public void ConfigureRaisesVersionGivenDraft()
    {
        var round = Round.Create("round-1", Builders.Scheme, "ESF-E 2008", Builders.Esf2008());
        round.Configure(Builders.Esf2008() with { BudgetCeilingCents = 12_000_000_00 });
        Assert.Equal(2, round.Data.Configuration.Version);
        Assert.Equal(12_000_000_00, round.Data.Configuration.BudgetCeilingCents);
    }

    [Fact]
    public void ConfigureIsRefusedGivenOpenRound()
    {
        var round = Builders.OpenRound();
        Assert.Throws<InvalidTransitionException>(() => round.Configure(Builders.Esf2008() with { BudgetCeilingCents = 1 }));
        Assert.Equal(7_000_000_00, round.Data.Configuration.BudgetCeilingCents);
    }

    [Theory]
    [InlineData(0L, 100L, "budgetCeilingCents")]
    [InlineData(100L, 200L, "maxPerApplicationCents")]
    public void CreateRefusesInvalidAmounts(long ceiling, long max, string field)
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Round.Create("round-1", Builders.Scheme, "x", Builders.Esf2008() with { BudgetCeilingCents = ceiling, MaxPerApplicationCents = max }));
        Assert.Contains(field, error.Errors.Keys);
    }

    [Fact]
    public void CreateRefusesUnknownThemeAndClosingBeforeOpening()
    {
        var config = Builders.Esf2008() with { Themes = ["astrology"], ClosesAt = Builders.Opens.AddDays(-1) };
        var error = Assert.Throws<DomainRuleException>(() => Round.Create("round-1", Builders.Scheme, "x", config));
        Assert.Contains("themes", error.Errors.Keys);
        Assert.Contains("closesAt", error.Errors.Keys);
    }

    [Fact]
    public void AcceptsApplicationsOnlyInsideItsWindow()
    {
        var round = Builders.OpenRound();
        Assert.False(round.AcceptsApplications(Builders.Opens.AddMinutes(-1)));
        Assert.True(round.AcceptsApplications(Builders.Opens));
        Assert.False(round.AcceptsApplications(Builders.Opens.AddDays(30)));
        Assert.True(round.IsDueToClose(Builders.Opens.AddDays(30)));
        Assert.Contains("opens at 2008-04-01 09:00", round.WhyClosedFor(Builders.Opens.AddMinutes(-1)));
    }

    [Fact]
    public void FreezeIsRefusedWhileApplicationsAwaitEligibilityAndTheRoundCanBeFrozenOnceTheyAreDecided()
    {
        var round = Builders.OpenRound();
        round.Close(Builders.Opens.AddDays(30));
        Assert.True(round.RequestPoolFreeze(Builders.Opens.AddDays(31)));
        Assert.False(round.RequestPoolFreeze(Builders.Opens.AddDays(31).AddMinutes(1)));
        Assert.Equal((RoundStatus.PoolFreezing, Builders.Opens.AddDays(31)), (round.Data.Status, round.Data.PoolFreezeRequestedAt));

        var refusal = round.CompletePoolFreeze(2, 0, "hash", 10, Builders.Opens.AddDays(31));

        Assert.Contains("2 submitted applications", refusal);
        Assert.Equal((RoundStatus.Closed, refusal, null), (round.Data.Status, round.Data.PoolFreezeRefusal, round.Data.PoolHash));
        Assert.True(round.RequestPoolFreeze(Builders.Opens.AddDays(32)));
        Assert.Null(round.Data.PoolFreezeRefusal);
        Assert.Null(round.CompletePoolFreeze(0, 0, "hash", 10, Builders.Opens.AddDays(32)));
        Assert.Equal((RoundStatus.PoolFrozen, "hash", 10), (round.Data.Status, round.Data.PoolHash, round.Data.PoolSize));
        Assert.False(round.RequestPoolFreeze(Builders.Opens.AddDays(33)));
        Assert.Equal(Builders.Opens.AddDays(32), round.Data.PoolFreezeRequestedAt);
    }

    [Fact]
    public void MissingAdviceRefusesTheFreezeOnlyWhereTheCommitteeAssessesBeforeTheDraw()
    {
        var drawFirst = Builders.OpenRound();
        drawFirst.Close(Builders.Opens.AddDays(30));
        drawFirst.RequestPoolFreeze(Builders.Opens.AddDays(31));
        Assert.Null(drawFirst.CompletePoolFreeze(0, 3, "hash", 10, Builders.Opens.AddDays(31)));

        var assessFirst = new Round(Builders.OpenRound().Data is var data
            ? data with { Configuration = data.Configuration with { Allocation = data.Configuration.Allocation with { Order = AllocationDesign.AssessThenLottery } } }
            : throw new InvalidOperationException());
        assessFirst.Close(Builders.Opens.AddDays(30));
        assessFirst.RequestPoolFreeze(Builders.Opens.AddDays(31));
        Assert.Contains("advice is still missing for 3 eligible applications", assessFirst.CompletePoolFreeze(0, 3, "hash", 10, Builders.Opens.AddDays(31)));
        Assert.Equal(RoundStatus.Closed, assessFirst.Data.Status);
    }

    private static readonly byte[] Seed = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>A round whose draw, protocol "p1", is published.</summary>
    private static Round PublishedDraw()
    {
        var round = FrozenWithMinistryCommitment();
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        round.RequestDraw(Builders.Opens.AddDays(32));
        round.RecordDraw("p1", true);
        return round;
    }

    private static Round FrozenWithMinistryCommitment()
    {
        var round = Builders.OpenRound();
        round.CommitSeed(Round.MinistryParty, Grants.Domain.Lottery.LotteryDraw.Commitment(Seed), "ministry-1", Builders.Opens.AddDays(1));
        round.Close(Builders.Opens.AddDays(30));
        round.RequestPoolFreeze(Builders.Opens.AddDays(31));
        round.CompletePoolFreeze(0, 0, "hash", 3, Builders.Opens.AddDays(31));
        return round;
    }

    [Fact]
    public void RevealThatDoesNotMatchItsCommitmentIsRefused()
    {
        var round = FrozenWithMinistryCommitment();
        var other = Seed.ToArray();
        other[0] ^= 1;
        var error = Assert.Throws<DomainRuleException>(() => round.RevealSeed(Round.MinistryParty, other, Builders.Opens.AddDays(32)));
        Assert.Contains("does not match", error.Errors["seed"][0]);
        Assert.Empty(round.Data.LotteryState.Reveals);
        Assert.Null(round.SeedsForDraw());
    }

    [Fact]
    public void CommitmentsCloseWithTheRoundAndCannotBeChanged()
    {
        var round = Builders.OpenRound();
        round.CommitSeed(Round.MinistryParty, Grants.Domain.Lottery.LotteryDraw.Commitment(Seed), "ministry-1", Builders.Opens);
        Assert.Throws<DomainRuleException>(() => round.CommitSeed(Round.MinistryParty, new string('0', 64), "ministry-1", Builders.Opens));
        round.Close(Builders.Opens.AddDays(30));
        Assert.Throws<InvalidTransitionException>(() => round.CommitSeed("notary", new string('0', 64), "notary-1", Builders.Opens.AddDays(30)));
    }

    [Fact]
    public void RevealBeforeThePoolFreezesIsRefused()
    {
        var round = Builders.OpenRound();
        round.CommitSeed(Round.MinistryParty, Grants.Domain.Lottery.LotteryDraw.Commitment(Seed), "ministry-1", Builders.Opens);
        Assert.Throws<InvalidTransitionException>(() => round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens));
    }

    [Fact]
    public void DrawNeedsEveryRevealAndARedrawNeedsAReasonAndNewCommitments()
    {
        var round = FrozenWithMinistryCommitment();
        Assert.Throws<DomainRuleException>(() => round.RequestDraw(Builders.Opens.AddDays(32)));
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        round.RequestDraw(Builders.Opens.AddDays(32));
        round.RecordDraw("p1", true, holdForBalance: true);
        Assert.Equal(RoundStatus.Drawn, round.Data.Status);

        Assert.Throws<DomainRuleException>(() => round.Redraw(" ", DateTimeOffset.UnixEpoch));
        round.Redraw("The notary's seed was revealed before the pool froze.", DateTimeOffset.UnixEpoch);

        Assert.Equal(RoundStatus.PoolFrozen, round.Data.Status);
        var superseded = Assert.Single(round.Data.LotteryState.Superseded);
        Assert.Equal(("p1", "The notary's seed was revealed before the pool froze."), (superseded.ProtocolHash, superseded.SupersededReason));
        Assert.Null(round.SeedsForDraw());
        round.CommitSeed(Round.MinistryParty, Grants.Domain.Lottery.LotteryDraw.Commitment(Seed.Reverse().ToArray()), "ministry-1", Builders.Opens.AddDays(33));
    }

    [Fact]
    public void ADrawIsRecordedOnlyAsAskedForAndAsOfTheMomentAsked()
    {
        var round = FrozenWithMinistryCommitment();
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        var unasked = Assert.Throws<InvalidTransitionException>(() => round.RecordDraw("p1", true));
        Assert.Contains("has not been asked for", unasked.Message);

        Assert.True(round.RequestDraw(Builders.Opens.AddDays(32)));
        Assert.False(round.RequestDraw(Builders.Opens.AddDays(33)));
        Assert.Equal((RoundStatus.Drawing, Builders.Opens.AddDays(32)), (round.Data.Status, round.Data.DrawRequestedAt));
        Assert.Equal(Builders.Opens.AddDays(32), round.DrawToCompute().DrawnAt);

        round.RecordDraw("p1", true);
        Assert.Equal((RoundStatus.Drawn, Builders.Opens.AddDays(32), Builders.Opens.AddDays(32)),
            (round.Data.Status, round.Data.LotteryState.Draw!.DrawnAt, round.Data.LotteryState.Draw.PublishedAt));
    }

    /// <summary>A top-up raises the whole budget of a round without strata and a named stratum's in a stratified round, which must name one; a pro-rata round takes none.</summary>
    [Fact]
    public void ATopUpRaisesAStratumOnlyInAStratifiedRound()
    {
        var open = Builders.OpenRoundData();
        var stratified = new Round(open with { Configuration = open.Configuration with { Allocation = open.Configuration.Allocation with { Strata = "sector" } } });
        var proRata = new Round(open with { Configuration = open.Configuration with { Allocation = open.Configuration.Allocation with { Method = AllocationMethod.ProRata } } });

        Assert.Null(new Round(open).StratumOfTopUp("industry"));
        Assert.Equal("industry", stratified.StratumOfTopUp("industry"));
        Assert.Contains("say which stratum", Assert.Throws<DomainRuleException>(() => stratified.StratumOfTopUp(null)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidTransitionException>(() => proRata.StratumOfTopUp(null));
    }

    /// <summary>A retired scheme opens no new rounds: none is created under it, and a draft made before the retirement is not opened.</summary>
    [Fact]
    public void ARetiredSchemeOpensNoNewRounds()
    {
        var draft = Round.Create("round-1", Builders.Scheme, "ESF-E 2008", Builders.Esf2008());
        var scheme = new Scheme(Builders.Scheme);
        scheme.Retire("The programme ended in 2011.");

        Assert.Equal("A retired scheme opens no new rounds.", Assert.Throws<InvalidTransitionException>(() => Round.Create("round-2", scheme.Data, "ESF-E 2012", Builders.Esf2008())).Message);
        Assert.Equal("A retired scheme opens no new rounds.", Assert.Throws<InvalidTransitionException>(() => draft.Open(scheme.Data, Builders.Opens)).Message);
        Assert.Equal(RoundStatus.Draft, draft.Data.Status);
        Assert.Throws<ArgumentException>(() => draft.Open(Builders.Scheme with { Id = "scheme-2" }, Builders.Opens));
    }

    /// <summary>
    /// A top-up that selects someone and leaves fewer control units than the round's minimum (30 here) is refused unless
    /// staff confirm it; a place given up moves the cut-off whatever it leaves. A refusal changes nothing.
    /// </summary>
    [Fact]
    public void ATopUpBelowTheControlGroupMinimumNeedsConfirmingAndAReleaseNever()
    {
        var round = PublishedDraw();
        var topUp = new CutoffChange(Builders.Opens.AddDays(40), "top-up", "More money", "staff", null, 50_000_00, [], ["P-0000000001"]);
        var before = round.Data;

        var refused = Assert.Throws<ControlGroupTooSmallException>(() => round.RecordCutoffChange("p2", topUp, controlAfter: 29, smallControlGroupConfirmed: false));
        Assert.Equal((29, 30), (refused.ControlAfter, refused.Minimum));
        Assert.Same(before, round.Data);

        round.RecordCutoffChange("p2", topUp, controlAfter: 30, smallControlGroupConfirmed: false);
        round.RecordCutoffChange("p3", topUp, controlAfter: 5, smallControlGroupConfirmed: true);
        round.RecordCutoffChange("p4", topUp with { NewlySelected = [] }, controlAfter: 5, smallControlGroupConfirmed: false);
        round.RecordCutoffChange("p5", new CutoffChange(Builders.Opens.AddDays(41), "withdrawn", "Gave up", "staff", null, 0, ["P-0000000002"], ["P-0000000003"]), controlAfter: 0, smallControlGroupConfirmed: false);
        Assert.Equal("p5", round.Data.LotteryState.Draw!.ProtocolHash);
        Assert.Equal(["p1", "p2", "p3", "p4"], round.Data.LotteryState.ProtocolVersions);
    }

    [Fact]
    public void PublishedDrawCannotBeRedrawn()
    {
        var round = PublishedDraw();
        Assert.True(round.DrawIsPublished);
        Assert.Throws<DomainRuleException>(() => round.Redraw("We do not like the outcome.", DateTimeOffset.UnixEpoch));
        Assert.Equal(RoundStatus.Drawn, round.Data.Status);
    }

    [Fact]
    public void DrawingADrawnRoundAgainIsRefusedSayingItIsDrawnAndWhetherItCanBeRedrawn()
    {
        var round = FrozenWithMinistryCommitment();
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        round.RequestDraw(Builders.Opens.AddDays(32));
        round.RecordDraw("p1", true, holdForBalance: true);

        var held = Assert.Throws<InvalidTransitionException>(() => round.RequestDraw(Builders.Opens.AddDays(33)));
        Assert.Contains("already been drawn", held.Message);
        Assert.Contains("re-draw", held.Message);

        round.ConfirmPublication("Three of forty in one sector is within chance.", Builders.Opens.AddDays(33));
        var published = Assert.Throws<InvalidTransitionException>(() => round.RequestDraw(Builders.Opens.AddDays(34)));
        Assert.Contains("already been drawn", published.Message);
        Assert.Contains("published draw stands", published.Message);
        Assert.Equal("p1", round.Data.LotteryState.Draw!.ProtocolHash);
    }

    [Fact]
    public void DecisionsWaitGivenDrawHeldForBalance()
    {
        var round = FrozenWithMinistryCommitment();
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        round.RequestDraw(Builders.Opens.AddDays(32));
        round.RecordDraw("p1", true, holdForBalance: true);
        Assert.Throws<DomainRuleException>(round.StartDecisions);
        Assert.Equal(RoundStatus.Drawn, round.Data.Status);

        round.ConfirmPublication("Three of forty in one sector is within chance.", Builders.Opens.AddDays(33));
        round.StartDecisions();
        Assert.Equal(RoundStatus.Deciding, round.Data.Status);
    }

    [Fact]
    public void EveryStateIsReachableInOrder()
    {
        var round = Builders.OpenRound();
        round.CommitSeed(Round.MinistryParty, Grants.Domain.Lottery.LotteryDraw.Commitment(Seed), "ministry-1", Builders.Opens);
        round.Close(Builders.Opens.AddDays(30));
        round.RequestPoolFreeze(Builders.Opens.AddDays(31));
        round.CompletePoolFreeze(0, 0, "hash", 3, Builders.Opens.AddDays(31));
        round.RevealSeed(Round.MinistryParty, Seed, Builders.Opens.AddDays(32));
        round.RequestDraw(Builders.Opens.AddDays(32));
        round.RecordDraw("protocol-hash", drawNeeded: true);
        round.StartDecisions();
        round.CompleteDecisions();
        round.StartFollowUp();
        round.CompleteEvaluation();
        Assert.Equal(RoundStatus.Evaluated, round.Data.Status);
        Assert.Equal("hash", round.Data.PoolHash);
    }

    /// <summary>Closing by hand and the closing time's timer may meet: the second finds the round closed, and changes nothing.</summary>
    [Fact]
    public void ClosingAClosedRoundChangesNothing()
    {
        var round = Builders.OpenRound();
        Assert.True(round.Close(Builders.Opens.AddDays(30)));
        var closed = round.Data;

        Assert.False(round.Close(Builders.Opens.AddDays(31)));

        Assert.Same(closed, round.Data);
        round.RequestPoolFreeze(Builders.Opens.AddDays(32));
        round.CompletePoolFreeze(0, 0, "hash", 0, Builders.Opens.AddDays(32));
        Assert.Throws<InvalidTransitionException>(() => round.Close(Builders.Opens.AddDays(33)));
    }

    [Fact]
    public void CloseIsRefusedGivenDraft()
    {
        var round = Round.Create("round-1", Builders.Scheme, "x", Builders.Esf2008());
        Assert.Throws<InvalidTransitionException>(() => round.Close(Builders.Opens));
    }

    [Fact]
    public void OpeningTimesAreAmsterdamLocal()
    {
        var winter = AmsterdamTime.ToInstant(new DateTime(2008, 1, 15, 9, 0, 0), "opensAt");
        var summer = AmsterdamTime.ToInstant(new DateTime(2008, 7, 15, 9, 0, 0), "opensAt");
        Assert.Equal(TimeSpan.FromHours(1), winter.Offset);
        Assert.Equal(TimeSpan.FromHours(2), summer.Offset);
        Assert.Throws<DomainRuleException>(() => AmsterdamTime.ToInstant(new DateTime(2008, 3, 30, 2, 30, 0), "opensAt"));
        Assert.Throws<DomainRuleException>(() => AmsterdamTime.ToInstant(new DateTime(2008, 10, 26, 2, 30, 0), "opensAt"));
    }
}

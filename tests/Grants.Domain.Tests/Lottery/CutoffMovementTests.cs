using Grants.Domain.Lottery;

namespace Grants.Domain.Tests.Lottery;

public sealed class CutoffMovementTests
{
    // Drawn order 60, 50, 40, 30, 20 with budget 100: skip selects 60 and 40; reserve 50, 30, 20.
    private static readonly RankedEntry[] Order =
    [
        new("A", "all", 60, "", 1), new("B", "all", 50, "", 2), new("C", "all", 40, "", 3), new("D", "all", 30, "", 4), new("E", "all", 20, "", 5),
    ];

    private static readonly LotteryDesign Skip = new("skip", 100, null);

    [Fact]
    public void TopUpSelectsTheNextEntriesOfTheReserveListThatFit()
    {
        var state = CutoffMovement.Initial(LotteryDraw.Allocate(Order, Skip));
        Assert.Equal(["A", "C"], state.Selected);

        var (after, newly) = CutoffMovement.Apply(state, Order, Skip, new Dictionary<string, long> { ["all"] = 60 }, null, []);

        Assert.Equal(["B"], newly); // 60 more: B (50) fits, then D (30) does not fit the 10 left
        Assert.Equal(["D", "E"], after.Reserve);
    }

    [Fact]
    public void WithdrawalFreesRoomForTheReserveListInOrder()
    {
        var state = CutoffMovement.Initial(LotteryDraw.Allocate(Order, Skip));

        var (after, newly) = CutoffMovement.Apply(state, Order, Skip, new Dictionary<string, long>(), null, ["A"]);

        Assert.Equal(["B"], newly); // 60 freed: B (50) fits; D (30) does not fit the 10 left
        Assert.Equal(["C", "B"], after.Selected);
        Assert.DoesNotContain("A", after.Reserve);
    }

    [Fact]
    public void StopRuleStopsAtTheFirstReserveEntryThatDoesNotFit()
    {
        var stop = new LotteryDesign("stop", 100, null);
        var state = CutoffMovement.Initial(LotteryDraw.Allocate(Order, stop));
        Assert.Equal(["A"], state.Selected);

        var (_, newly) = CutoffMovement.Apply(state, Order, stop, new Dictionary<string, long> { ["all"] = 20 }, null, []);

        Assert.Equal(["B"], newly); // 60 of headroom: B (50) fits, C (40) does not: stop
    }

    [Fact]
    public void VerifierReplaysPublishedChangesAndRejectsAJumpOverTheList()
    {
        var seed = new byte[32];
        var protocol = LotteryProtocol.Draw("r", Order.Select(e => new DrawEntry(e.Id, e.Stratum, e.Amount)), [seed], new ProtocolDesign("skip", 100, null), 100, DateTimeOffset.UnixEpoch, Builders.PlanHash);
        var order = protocol.Order.Select(o => new RankedEntry(o.Id, o.Stratum, protocol.Pool.Single(p => p.Id == o.Id).Amount, o.Score, o.Rank)).ToList();
        var (state, newly) = CutoffMovement.Apply(new CutoffState(protocol.Selected, protocol.Reserve), order, protocol.Design.ToDesign(), new Dictionary<string, long> { ["all"] = 50 }, null, []);
        var honest = protocol with
        {
            CutoffHistory = [new CutoffChange(DateTimeOffset.UnixEpoch, "top-up", "Budget raised by 50", "ministry", null, 50, [], newly)],
            Selected = state.Selected,
            Reserve = state.Reserve,
        };
        Assert.True(LotteryVerifier.Verify(honest).Verified, LotteryVerifier.Verify(honest).FirstMismatch);

        var favourite = protocol.Reserve[^1];
        var jumped = honest with
        {
            CutoffHistory = [honest.CutoffHistory[0] with { NewlySelected = [favourite] }],
            Selected = [.. protocol.Selected, favourite],
            Reserve = [.. protocol.Reserve.Where(id => id != favourite)],
        };
        Assert.StartsWith("cutoffHistory[0]", LotteryVerifier.Verify(jumped).FirstMismatch);
    }

    [Fact]
    public void MinimumDetectableEffectShrinksWithLargerGroups()
    {
        // 80% power, two-sided 5%, p = 0.5, 77 funded against 188 controls (ESF-E 2008: 265 applications, 77 awards).
        var mde = ControlGroup.MinimumDetectableEffect(77, 188)!.Value;
        Assert.Equal(0.1895, mde, 4); // independently: 2.8016 × √(0.25 × (1/77 + 1/188))
        Assert.True(ControlGroup.MinimumDetectableEffect(77, 20) > mde);
        Assert.Null(ControlGroup.MinimumDetectableEffect(77, 0));
    }
}

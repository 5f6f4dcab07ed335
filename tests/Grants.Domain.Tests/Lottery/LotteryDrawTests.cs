using Grants.Domain.Lottery;

namespace Grants.Domain.Tests.Lottery;

/// <summary>
/// docs/design.md §4 on fixed inputs. Expected values were computed independently of this code base
/// (Python hashlib/hmac over the same bytes), so a mistake shared by our code and our tests cannot hide.
/// </summary>
public sealed class LotteryDrawTests
{
    private static readonly byte[] Seed1 = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] Seed2 = [.. Enumerable.Repeat((byte)0xA5, 32)];
    private const string DesignPoolHash = "2ba20e9f6d7b00e220c440647f88fa168a53c8acf5131682158d738790b2166f";
    private const string ExpectedDrawKey = "78010e6242fabdf2bd43940fd5a992a6ae0f41778e1c99ccaba36c54f353848f";

    [Fact]
    public void CommitmentIsLowercaseSha256OfTheSeed()
    {
        Assert.Equal("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd", LotteryDraw.Commitment(Seed1));
        Assert.Equal("fc8b64001c5fdd0f2f40fb67dae4a865a2c5bd17836676d6d5b58b7917e33717", LotteryDraw.Commitment(Seed2));
    }

    [Fact]
    public void DrawKeyHashesSeedsInCommitmentOrderThenPoolHashBytes()
    {
        Assert.Equal(ExpectedDrawKey, Convert.ToHexStringLower(LotteryDraw.DrawKey([Seed1, Seed2], DesignPoolHash)));
        Assert.NotEqual(ExpectedDrawKey, Convert.ToHexStringLower(LotteryDraw.DrawKey([Seed2, Seed1], DesignPoolHash)));
    }

    [Fact]
    public void ScoreIsHmacOfRoundStratumAndId()
    {
        var key = Convert.FromHexString(ExpectedDrawKey);
        Assert.Equal("6b7a84459b71543f743fa04dc34d8224aef57e1d604ddb138819f9944e7316f1", Convert.ToHexStringLower(LotteryDraw.Score(key, "round-2008", "all", "A-0001")));
        Assert.Equal("65c45a6d45225cc5e9586d74649dc334c4a16b77318f92ef2d4a4044b8fe76f2", Convert.ToHexStringLower(LotteryDraw.Score(key, "round-2008", "all", "A-0002")));
    }

    [Fact]
    public void OrderSortsByScoreWithinEachStratumAndRanksFromOne()
    {
        var key = Convert.FromHexString(ExpectedDrawKey);
        DrawEntry[] pool = [new("B-05", "industry", 1), new("B-01", "care", 1), new("B-03", "industry", 1), new("B-02", "care", 1), new("B-04", "industry", 1)];

        var order = LotteryDraw.Order(key, "round-2008", pool);

        Assert.Equal(["B-01", "B-02", "B-04", "B-03", "B-05"], order.Select(e => e.Id));
        Assert.Equal([1, 2, 1, 2, 3], order.Select(e => e.Rank));
    }

    [Fact]
    public void SimulationKeyAppendsSimAndDecimalK()
    {
        Assert.Equal("4e29175468c5a085f7a97ebf1001124cf6b7cc4041b79bd77e84227becd29ffa",
            Convert.ToHexStringLower(AssignmentProbabilities.SimulationKey(Convert.FromHexString(ExpectedDrawKey), 1)));
    }

    [Theory]
    [InlineData("skip", new[] { 60L, 50, 40, 30 }, new[] { true, false, true, false })]
    [InlineData("stop", new[] { 60L, 50, 40, 30 }, new[] { true, false, false, false })]
    [InlineData("skip", new[] { 30L, 40, 60, 50 }, new[] { true, true, false, false })]
    [InlineData("skip", new[] { 50L, 60, 40, 30 }, new[] { true, false, true, false })]
    public void FillTakesRequestsInOrderUnderTheRule(string rule, long[] amounts, bool[] expected) =>
        Assert.Equal(expected, LotteryDraw.Fill(amounts, 100, rule));

    [Fact]
    public void AllocateGivesSelectedAndReserveInDrawnOrderPerStratum()
    {
        RankedEntry[] order =
        [
            new("c1", "care", 70, "", 1), new("c2", "care", 50, "", 2), new("c3", "care", 20, "", 3),
            new("i1", "industry", 40, "", 1), new("i2", "industry", 40, "", 2),
        ];
        var design = new LotteryDesign("skip", null, [new StratumBudget("care", 100), new StratumBudget("industry", 50)]);

        var allocation = LotteryDraw.Allocate(order, design);

        Assert.Equal(["c1", "c3", "i1"], allocation.Selected);
        Assert.Equal(["c2", "i2"], allocation.Reserve);
    }
}

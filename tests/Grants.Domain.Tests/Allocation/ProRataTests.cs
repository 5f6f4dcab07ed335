using CsCheck;
using Grants.Domain.Allocation;

namespace Grants.Domain.Tests.Allocation;

public sealed class ProRataTests
{
    private static Candidate[] Requests(params long[] amounts) => [.. amounts.Select((a, i) => new Candidate($"P-{i}", "all", a))];

    [Fact]
    public void EveryRequestIsCutByTheSameFractionAndAShareBelowTheFloorGoesToTheOthers()
    {
        // 150 asked of 100: shares 40, 33 and 26; 26 is below the floor of 30, so the 40 is dropped and 100/110 is the fraction.
        var outcome = ProRata.Allocate(Requests(60, 50, 40), budget: 100, floor: 30);

        Assert.Equal([54L, 45L, 0L], outcome.Shares.Select(s => s.Granted));
        Assert.Equal((100L, 110L), (outcome.Numerator, outcome.Denominator));
    }

    [Fact]
    public void RequestsThatFitAreGrantedInFull()
    {
        var outcome = ProRata.Allocate(Requests(60, 40), budget: 100, floor: 0);

        Assert.Equal([60L, 40L], outcome.Shares.Select(s => s.Granted));
        Assert.Equal((1L, 1L), (outcome.Numerator, outcome.Denominator));
    }

    [Fact]
    public void RequestsOfOneAmountAreDroppedTogetherNeverOneOfThem()
    {
        // Three of 40 and one of 100 ask 220 of 100: the 40s would get 18 each, below the floor of 20. Dropping one 40 would
        // save the other two, but they are alike and no draw tells them apart, so all three go; the 100 gets it all.
        var outcome = ProRata.Allocate(Requests(40, 40, 40, 100), budget: 100, floor: 20);

        Assert.Equal([0L, 0L, 0L, 100L], outcome.Shares.Select(s => s.Granted));
    }

    [Fact]
    public void SharesAreWithinTheBudgetAtLeastTheFloorInProportionAndNoneDroppedCouldHaveBeenKept()
    {
        var cases =
            from n in Gen.Int[1, 12]
            from amounts in Gen.Int[1, 100].Select(a => a * 1_000L).Array[n]
            from budget in Gen.Long[0, 600_000]
            from floor in Gen.Long[0, 60_000]
            select (amounts, budget, floor);

        cases.Sample(c =>
        {
            var outcome = ProRata.Allocate(Requests(c.amounts), c.budget, c.floor);
            var granted = outcome.Shares.Where(s => s.Granted > 0).ToList();

            Assert.True(outcome.Granted <= c.budget);
            Assert.All(outcome.Shares, s => Assert.True(s.Granted == 0 || (s.Granted >= c.floor && s.Granted <= s.Requested)));
            Assert.All(granted, s => Assert.Equal((long)((Int128)s.Requested * outcome.Numerator / outcome.Denominator), s.Granted));

            // The largest request dropped, kept with everyone larger, would leave some share below the floor.
            var dropped = outcome.Shares.Where(s => s.Granted == 0 && s.Requested > 0).Select(s => s.Requested).DefaultIfEmpty().Max();
            if (dropped > 0)
            {
                var kept = c.amounts.Where(a => a >= dropped).ToList();
                var total = kept.Sum();
                var smallest = total <= c.budget ? dropped : (long)((Int128)dropped * c.budget / total);
                Assert.True(smallest < c.floor, $"a request of {dropped} was dropped though with the larger ones it would get {smallest}, at least the floor {c.floor}");
            }
        }, iter: 2_000);
    }
}

public sealed class MethodComparisonTests
{
    [Fact]
    public void BeforeTheFreezeALotteryDrawsTheWholePoolAndATenderOrProRataNone()
    {
        var projected = MethodComparison.Projected(poolSize: 8_000, meanAmount: 5_000_00, budget: 2_000 * 5_000_00L, drawnDayShare: 0.96, bandSize: 400).ToDictionary(e => e.Method);

        Assert.Equal(AllocationMethod.All, projected.Keys);
        Assert.Equal((8_000, 2_000 * 5_000_00L), (projected[AllocationMethod.Lottery].Randomised, projected[AllocationMethod.Lottery].MoneyForDrawn));
        Assert.Equal(7_680, projected[AllocationMethod.FirstComeFirstServedByDay].Randomised);
        Assert.Equal("96 % of the expected pool arriving on the opening day, when the budget runs out", projected[AllocationMethod.FirstComeFirstServedByDay].Basis);
        Assert.Equal((400, 200 * 5_000_00L), (projected[AllocationMethod.PartialRandomisation].Randomised, projected[AllocationMethod.PartialRandomisation].MoneyForDrawn));
        Assert.Equal(0, projected[AllocationMethod.RankedTender].Randomised);
        Assert.Equal(0, projected[AllocationMethod.ProRata].Randomised);
    }
}

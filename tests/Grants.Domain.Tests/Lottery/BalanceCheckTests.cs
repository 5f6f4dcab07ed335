using Grants.Domain.Lottery;

namespace Grants.Domain.Tests.Lottery;

public sealed class BalanceCheckTests
{
    private static readonly DateOnly Day = new(2008, 4, 14);

    private static BalanceUnit Unit(int i, string sector, long amount = 80_000_00) => new($"P-{i:D3}", "all", sector, Day, amount);

    [Fact]
    public void SelectionInLineWithTheProbabilitiesIsNotFlagged()
    {
        var units = Enumerable.Range(0, 40).Select(i => Unit(i, i % 2 == 0 ? "care" : "industry")).ToList();
        var selected = units.Where((_, i) => i % 4 < 2).Select(u => u.Id).ToHashSet();
        var p = units.ToDictionary(u => u.Id, _ => 0.5);

        var report = BalanceCheck.Run(units, selected, p);

        Assert.False(report.HoldsPublication);
        Assert.Equal(10, report.Groups.Single(g => g.Dimension == "sector" && g.Group == "care").Selected);
    }

    [Fact]
    public void EverySelectionFromOneSectorIsFlagged()
    {
        var units = Enumerable.Range(0, 40).Select(i => Unit(i, i < 20 ? "care" : "industry")).ToList();
        var selected = units.Take(20).Select(u => u.Id).ToHashSet();
        var p = units.ToDictionary(u => u.Id, _ => 0.5);

        var report = BalanceCheck.Run(units, selected, p);

        Assert.True(report.HoldsPublication);
        var care = report.Groups.Single(g => g.Dimension == "sector" && g.Group == "care");
        Assert.Equal((20, 10.0), (care.Selected, care.Expected));
        Assert.True(care.Z > 3);
    }

    [Fact]
    public void ImbalanceTheDesignCreatesIsNotFlagged()
    {
        // Large requests rarely fit: with their own low probabilities, few large selections are expected.
        var units = Enumerable.Range(0, 30).Select(i => Unit(i, "industry", i < 10 ? 120_000_00 : 40_000_00)).ToList();
        var p = units.ToDictionary(u => u.Id, u => u.Amount > 100_000_00 ? 0.1 : 0.8);
        var selected = units.Where(u => u.Amount < 100_000_00).Take(16).Append(units[0]).Select(u => u.Id).ToHashSet();

        var report = BalanceCheck.Run(units, selected, p);

        Assert.False(report.HoldsPublication);
    }
}

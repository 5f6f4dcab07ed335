using Grants.Domain.Lottery;

namespace Grants.Domain.Allocation;

/// <summary>Who a layout funds, who waits on the reserve list in order, and whom its method turned down.</summary>
public sealed record StratumOutcome(IReadOnlyList<string> Selected, IReadOnlyList<string> Reserve, IReadOnlyList<string> Excluded);

/// <summary>
/// The draw, fill and chances of any <see cref="StratumLayout"/>, on the lottery's own terms (docs/design.md §4): the drawn
/// group is ordered by the HMAC score of "{roundId}|{stratum}|{id}" under the draw key, the others keep their method's order,
/// and the whole order is filled under the layout's rule. A candidate's chance is over the draw alone — a uniformly random
/// order of the drawn group — so it is exactly 1 ahead of the group and 0 behind it (the group's requests exceed what is
/// left, so under the rule "stop" nothing behind is reached), and computed within it as the lottery computes it.
/// </summary>
public static class AllocationDraw
{
    /// <summary>Chance 1: ahead of the drawn group, funded whatever the draw.</summary>
    public const string Ahead = "exact:ahead";

    /// <summary>Chance 0: behind the drawn group or turned down by the method, never reached whatever the draw.</summary>
    public const string Behind = "exact:behind";

    /// <summary>The stratum's order: ahead, drawn (by score, ties by id), behind; every candidate scored, ranks from 1.</summary>
    public static IReadOnlyList<RankedEntry> Order(byte[] drawKey, string roundId, StratumLayout layout)
    {
        var drawn = LotteryDraw.Order(drawKey, roundId, layout.Drawn.Select(c => new DrawEntry(c.Id, layout.Stratum, c.Amount)));
        return [.. layout.Ahead.Select(c => (c.Id, c.Amount))
            .Concat(drawn.Select(e => (e.Id, e.Amount)))
            .Concat(layout.Behind.Select(c => (c.Id, c.Amount)))
            .Select((c, i) => new RankedEntry(c.Id, layout.Stratum, c.Amount, Convert.ToHexStringLower(LotteryDraw.Score(drawKey, roundId, layout.Stratum, c.Id)), i + 1))];
    }

    /// <summary>Fills the budget down the order under the layout's rule; the rest of the order is the reserve list.</summary>
    public static StratumOutcome Allocate(IReadOnlyList<RankedEntry> order, StratumLayout layout)
    {
        var chosen = LotteryDraw.Fill([.. order.Select(e => e.Amount)], layout.Budget, layout.Rule);
        return new StratumOutcome(
            [.. order.Where((_, i) => chosen[i]).Select(e => e.Id)],
            [.. order.Where((_, i) => !chosen[i]).Select(e => e.Id)],
            [.. layout.Excluded.Select(c => c.Id)]);
    }

    /// <summary>
    /// Each candidate's chance of being funded at first: 1 ahead, 0 behind or turned down, and for the drawn group the
    /// lottery's own computation with the money left (<see cref="AssignmentProbabilities"/>: exact where it can be, else
    /// Monte Carlo with the derived keys), in the order ahead, drawn, behind, excluded.
    /// </summary>
    public static IReadOnlyList<AssignmentProbability> Chances(string roundId, StratumLayout layout, byte[] drawKey, int simulations = AssignmentProbabilities.DefaultSimulations) =>
    [
        .. layout.Ahead.Select(c => new AssignmentProbability(c.Id, 1, 0, Ahead)),
        .. layout.Drawn.Count == 0 ? [] : AssignmentProbabilities.Compute(roundId,
            [.. layout.Drawn.Select(c => new DrawEntry(c.Id, layout.Stratum, c.Amount))], new LotteryDesign(layout.Rule, layout.MoneyForDrawn, null), drawKey, simulations),
        .. layout.Behind.Concat(layout.Excluded).Select(c => new AssignmentProbability(c.Id, 0, 0, Behind)),
    ];
}

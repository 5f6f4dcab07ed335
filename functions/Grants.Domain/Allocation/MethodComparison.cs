using Grants.Domain.Lottery;

namespace Grants.Domain.Allocation;

/// <summary>
/// What a method would randomise in a round: the size of its drawn group, the money left for it and the group's mean
/// request — from which the evaluation's power follows — or why it cannot be said (<see cref="Basis"/>).
/// </summary>
/// <param name="Randomised">Units with a chance strictly between 0 and 1 (the drawn group, when the draw decides something); null when unknown.</param>
public sealed record MethodExperiment(string Method, int? Randomised, long MoneyForDrawn, decimal MeanDrawnAmount, string Basis);

/// <summary>
/// Compares the methods for one round before the choice matters (docs/allocation.md): from the frozen pool, each method's
/// own layout; before the freeze, a projection from the expected pool. Strata are not taken into account (one budget).
/// </summary>
public static class MethodComparison
{
    /// <summary>
    /// From a frozen pool: each method laid out on it. First come, first served counts each application on the day it was
    /// complete where the pool kept it, else the day it was submitted; a tender and partial randomisation need the
    /// committee's scores, which only a pool assessed before the draw has (a band of a given size is then projected).
    /// </summary>
    public static IReadOnlyList<MethodExperiment> OfPool(IReadOnlyList<FrozenPoolEntry> pool, long budget, RandomisationBand? band)
    {
        var byDay = pool.Select(e => new Candidate(e.Id, "all", e.Amount, e.CompletedAt ?? e.SubmittedAt)).ToList();
        var scored = pool.All(e => e.Score is not null) ? pool.Select(e => new Candidate(e.Id, "all", e.Amount, Score: e.Score)).ToList() : null;
        var mean = pool.Count == 0 ? 1m : (decimal)pool.Average(e => e.Amount);
        return
        [
            Of(AllocationMethod.Lottery, AllocationLayout.Lottery("all", byDay, budget, LotteryDesign.Skip), "the frozen pool"),
            Of(AllocationMethod.FirstComeFirstServedByDay, AllocationLayout.FirstComeFirstServedByDay("all", byDay, budget),
                pool.All(e => e.CompletedAt is not null) ? "the frozen pool's days of completion" : "the frozen pool's days of submission (completion is kept only where the round is first come, first served)"),
            scored is null
                ? new MethodExperiment(AllocationMethod.RankedTender, null, 0, 0, "needs the committee's scores, which a pool has only where the committee assessed before the draw")
                : Of(AllocationMethod.RankedTender, AllocationLayout.RankedTender("all", scored, budget), "the frozen pool's scores"),
            (scored, band) switch
            {
                (not null, not null) => Of(AllocationMethod.PartialRandomisation, AllocationLayout.PartialRandomisation("all", scored, budget, band), "the frozen pool's scores and the configured band"),
                (_, { Size: { } size }) => Projected(AllocationMethod.PartialRandomisation, Math.Min(size, pool.Count), mean, $"a band of {size} around the funding line, half of it funded"),
                _ => new MethodExperiment(AllocationMethod.PartialRandomisation, null, 0, 0, "needs the committee's scores and a band (its scores, or its size around the funding line)"),
            },
            ProRata(),
        ];
    }

    /// <summary>
    /// Before the freeze, from the expected pool: a lottery draws it all; first come, first served draws the share of it
    /// that arrives on the day the budget runs out (taken to be the opening day, so the whole budget is left for it); a
    /// tender draws only ties at the line; partial randomisation a band of the given size around the line, half funded.
    /// </summary>
    public static IReadOnlyList<MethodExperiment> Projected(int poolSize, decimal meanAmount, long budget, double drawnDayShare, int? bandSize) =>
    [
        new(AllocationMethod.Lottery, poolSize, budget, meanAmount, "the expected pool, all of it drawn"),
        new(AllocationMethod.FirstComeFirstServedByDay, (int)Math.Round(poolSize * drawnDayShare), budget, meanAmount,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{drawnDayShare:P0} of the expected pool arriving on the opening day, when the budget runs out")),
        new(AllocationMethod.RankedTender, 0, 0, meanAmount, "only applications tied at the funding line are drawn: few or none, so no experiment to plan on"),
        bandSize is { } size
            ? Projected(AllocationMethod.PartialRandomisation, Math.Min(size, poolSize), meanAmount, $"a band of {size} around the funding line, half of it funded")
            : new MethodExperiment(AllocationMethod.PartialRandomisation, null, 0, 0, "give the band's size around the funding line (bandSize) to project it"),
        ProRata(),
    ];

    private static MethodExperiment Of(string method, StratumLayout layout, string basis)
    {
        var drawsSomething = layout.Drawn.Count > 1 && layout.Drawn.Sum(c => c.Amount) > layout.MoneyForDrawn;
        return new MethodExperiment(method, drawsSomething ? layout.Drawn.Count : 0, layout.MoneyForDrawn,
            layout.Drawn.Count == 0 ? 1 : (decimal)layout.Drawn.Average(c => c.Amount), $"{basis}: {layout.Why}");
    }

    private static MethodExperiment Projected(string method, int size, decimal mean, string basis) =>
        new(method, size, (long)(size / 2 * mean), mean, basis);

    private static MethodExperiment ProRata() =>
        new(AllocationMethod.ProRata, 0, 0, 1, "no draw: every viable request is cut by the same fraction, so there is no control group and no experimental estimate");
}

using Grants.Domain.Lottery;

namespace Grants.Domain.Allocation;

/// <summary>
/// How a method lays out one stratum's candidates for its budget, in the order funding goes: <see cref="Ahead"/>, funded
/// whatever the draw; <see cref="Drawn"/>, put in order by the verifiable draw and funded under <see cref="Rule"/> from the
/// money the first leave; <see cref="Behind"/>, in the method's order after them (reserve list, never reached at first);
/// and <see cref="Excluded"/>, whom the method turns down outright (not on the reserve list).
/// </summary>
/// <param name="Why">One sentence on where the line fell and why, for the protocol.</param>
public sealed record StratumLayout(
    string Stratum, long Budget, string Rule,
    IReadOnlyList<Candidate> Ahead, IReadOnlyList<Candidate> Drawn, IReadOnlyList<Candidate> Behind, IReadOnlyList<Candidate> Excluded,
    string Why)
{
    /// <summary>What is left for the drawn once everyone ahead is funded.</summary>
    public long MoneyForDrawn => Budget - Ahead.Sum(c => c.Amount);
}

/// <summary>
/// Where the funding line falls for each method (docs/allocation.md). The line is always in one group of candidates the
/// method cannot tell apart — one day's receipts, one score, the band — and only that group is drawn; groups above it are
/// funded, groups below it wait (or are turned down), so that exactly the drawn have a chance strictly between 0 and 1.
/// </summary>
public static class AllocationLayout
{
    /// <summary>Everyone is drawn, and funded in drawn order under the round's rule.</summary>
    public static StratumLayout Lottery(string stratum, IReadOnlyList<Candidate> candidates, long budget, string rule) =>
        new(stratum, budget, rule, [], ById(candidates), [], [], candidates.Sum(c => c.Amount) <= budget
            ? "every request fits the budget"
            : $"the requests exceed the budget: {Applications(candidates.Count)} drawn");

    /// <summary>
    /// Days in Amsterdam time, in order; a candidate counts on the day it was complete. Earlier days are funded in order of
    /// receipt, the day on which the requests first exceed the budget is drawn, later days wait in order of receipt.
    /// </summary>
    public static StratumLayout FirstComeFirstServedByDay(string stratum, IReadOnlyList<Candidate> candidates, long budget)
    {
        var days = candidates.GroupBy(c => DayOf(c.Completed)).OrderBy(d => d.Key)
            .Select(d => (Label: d.Key.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Members: (IReadOnlyList<Candidate>)[.. d.OrderBy(c => c.Completed).ThenBy(c => c.Id, StringComparer.Ordinal)]))
            .ToList();
        return AtTheLine(stratum, budget, days, "day of receipt");
    }

    /// <summary>The day on which a moment falls in Amsterdam (CET/CEST), the day the Dutch framework rules count by.</summary>
    public static DateOnly DayOf(DateTimeOffset moment) => DateOnly.FromDateTime(Common.AmsterdamTime.ToLocal(moment));

    /// <summary>Scores from the highest; the score at which the requests first exceed the budget is drawn, lower scores wait in order.</summary>
    public static StratumLayout RankedTender(string stratum, IReadOnlyList<Candidate> candidates, long budget) =>
        AtTheLine(stratum, budget, ByScore(candidates), "score");

    /// <summary>
    /// Those scoring at or above <paramref name="band"/>'s upper bound are funded directly, those below its lower bound are
    /// turned down, and those in the band are drawn for the money left, funded down the drawn order to the first that does
    /// not fit. Should the directly funded alone exceed the budget, the band gets nothing and they are ranked as in a
    /// tender (the band waits after them).
    /// </summary>
    public static StratumLayout PartialRandomisation(string stratum, IReadOnlyList<Candidate> candidates, long budget, RandomisationBand band)
    {
        var split = band.Split(candidates, budget);
        if (split.Top.Sum(c => c.Amount) > budget)
        {
            var tender = RankedTender(stratum, split.Top, budget);
            return tender with
            {
                Behind = [.. tender.Behind, .. ByScore(split.Band).SelectMany(g => g.Members)],
                Excluded = ById(split.Below),
                Why = $"the {split.Top.Count} above the band ask more than the budget, so they are ranked as in a tender and the band gets nothing: {tender.Why}",
            };
        }

        return new StratumLayout(stratum, budget, LotteryDesign.Stop, [.. ByScore(split.Top).SelectMany(g => g.Members)], ById(split.Band), [], ById(split.Below), split.Description);
    }

    /// <summary>
    /// The groups in order; the first whose requests, added to those before it, exceed the budget is drawn. Everything fits
    /// when there is none.
    /// </summary>
    private static StratumLayout AtTheLine(string stratum, long budget, IReadOnlyList<(string Label, IReadOnlyList<Candidate> Members)> groups, string by)
    {
        long used = 0;
        for (var line = 0; line < groups.Count; line++)
        {
            var requested = groups[line].Members.Sum(c => c.Amount);
            if (used + requested > budget)
            {
                return new StratumLayout(stratum, budget, LotteryDesign.Stop,
                    [.. groups.Take(line).SelectMany(g => g.Members)], ById(groups[line].Members), [.. groups.Skip(line + 1).SelectMany(g => g.Members)], [],
                    $"the budget is exceeded at {by} {groups[line].Label}: {Applications(groups[line].Members.Count)} drawn for the {budget - used} cents left");
            }

            used += requested;
        }

        return new StratumLayout(stratum, budget, LotteryDesign.Stop, [.. groups.SelectMany(g => g.Members)], [], [], [], "every request fits the budget");
    }

    /// <summary>Groups of equal score, from the highest; within a group by id (the pseudonyms fixed before the draw).</summary>
    private static IReadOnlyList<(string Label, IReadOnlyList<Candidate> Members)> ByScore(IReadOnlyList<Candidate> candidates) =>
        [.. candidates.GroupBy(c => c.Scored).OrderByDescending(g => g.Key)
            .Select(g => (g.Key.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), (IReadOnlyList<Candidate>)ById([.. g])))];

    private static string Applications(int count) => count == 1 ? "1 application is" : $"{count} applications are";

    private static IReadOnlyList<Candidate> ById(IReadOnlyList<Candidate> candidates) => [.. candidates.OrderBy(c => c.Id, StringComparer.Ordinal)];
}

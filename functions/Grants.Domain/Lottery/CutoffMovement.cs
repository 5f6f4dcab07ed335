using Grants.Evaluation.Planning;

namespace Grants.Domain.Lottery;

/// <summary>Who is selected and who is on the reserve list (in drawn order) at some point after the draw.</summary>
public sealed record CutoffState(IReadOnlyList<string> Selected, IReadOnlyList<string> Reserve);

/// <summary>
/// Moves the cut-off down the published order (docs/design.md §4, domain.md §2.2): a change releases
/// applications (withdrawn, declined, rejected, expired) and/or adds budget to a stratum; then the
/// stratum's reserve list is walked in drawn order under the design's rule — <c>skip</c> selects
/// every reserve entry that fits the headroom, <c>stop</c> stops at the first that does not. The same
/// code computes a change and verifies it, so the published history can be replayed exactly.
/// </summary>
public static class CutoffMovement
{
    public static CutoffState Initial(Allocation allocation) => new(allocation.Selected, allocation.Reserve);

    /// <summary>The state after one change, and who it newly selects.</summary>
    public static (CutoffState State, IReadOnlyList<string> NewlySelected) Apply(
        CutoffState state, IReadOnlyList<RankedEntry> order, LotteryDesign design, IReadOnlyDictionary<string, long> budgetChanges, string? stratum, IReadOnlyList<string> released)
    {
        var entries = order.ToDictionary(e => e.Id);
        foreach (var id in released)
        {
            if (!entries.ContainsKey(id) || (!state.Selected.Contains(id) && !state.Reserve.Contains(id)))
            {
                throw new ArgumentException($"{id} is neither selected nor on the reserve list.");
            }
        }

        var gone = released.ToHashSet(StringComparer.Ordinal);
        var selected = state.Selected.Where(id => !gone.Contains(id)).ToList();
        var reserve = state.Reserve.Where(id => !gone.Contains(id)).ToList();
        var touched = released.Select(id => entries[id].Stratum).Append(stratum ?? "all").Distinct(StringComparer.Ordinal);
        var newly = new List<string>();
        foreach (var s in touched.Where(s => order.Any(e => e.Stratum == s)).Order(StringComparer.Ordinal))
        {
            var budget = design.BudgetOf(s) + budgetChanges.GetValueOrDefault(s);
            var headroom = budget - selected.Where(id => entries[id].Stratum == s).Sum(id => entries[id].Amount);
            foreach (var id in reserve.Where(id => entries[id].Stratum == s).ToList())
            {
                if (entries[id].Amount <= headroom)
                {
                    headroom -= entries[id].Amount;
                    newly.Add(id);
                }
                else if (design.Rule == LotteryDesign.Stop)
                {
                    break;
                }
            }
        }

        // A set, not the list: a national top-up selects thousands from a reserve list of tens of thousands.
        var chosen = newly.ToHashSet(StringComparer.Ordinal);
        return (new CutoffState([.. selected, .. newly], [.. reserve.Where(id => !chosen.Contains(id))]), newly);
    }

    /// <summary>The budget added to each stratum by a history of changes ("all" when unstratified).</summary>
    public static Dictionary<string, long> BudgetChanges(IEnumerable<CutoffChange> history) =>
        history.GroupBy(c => c.Stratum ?? "all").ToDictionary(g => g.Key, g => g.Sum(c => c.BudgetChange));
}

/// <summary>How big the control group is and what effect it can still detect.</summary>
public static class ControlGroup
{
    /// <summary>
    /// Minimum detectable difference in proportions between selected (treatment) and reserve (control),
    /// two-sided α = 0.05, power 0.8, for a baseline proportion <paramref name="baseline"/> (0.5 is the
    /// most conservative); computed by the evaluation's power calculation. Null when either group is empty.
    /// </summary>
    public static double? MinimumDetectableEffect(int treated, int control, double baseline = 0.5) =>
        Power.MinimumDetectableEffect(treated, control, baseline);
}

namespace Grants.Evaluation.Estimators;

/// <summary>An estimate with its standard error, degrees of freedom and interval, and the method's name.</summary>
/// <param name="Note">How the estimate departs from its method's usual form, in one sentence (e.g. a variance borrowed for an arm of one); null when it does not.</param>
public sealed record Estimate(double Value, double Se, double? Df, Interval Ci, string? Note = null);

/// <summary>
/// Differences in means between assigned (treatment) and not assigned (control) units. The Neyman
/// (Welch) standard error √(s₁²/n₁ + s₀²/n₀) is conservative under complete random assignment
/// (Gerber &amp; Green 2012, eq. 3.6); the blocked estimator weights each block's difference by its
/// share of units N_j/N, the estimand of the whole pool when blocks were randomised separately.
/// </summary>
public static class Differences
{
    public const string NeymanMethod = "Difference in means, Neyman/Welch standard error (Gerber & Green 2012, ch. 3)";
    public const string BlockedMethod = "Blocked difference in means, block weights N_j/N, t interval with N − 2J degrees of freedom (Gerber & Green 2012, ch. 3.6; as estimatr)";

    public static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Average();

    public static double SampleVariance(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        return values.Count < 2 ? double.NaN : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    /// <summary>Treatment mean minus control mean with the Neyman SE and a Welch–Satterthwaite t interval at level 1 − α.</summary>
    public static Estimate Neyman(IReadOnlyList<double> treated, IReadOnlyList<double> control, double alpha = 0.05)
    {
        var (v1, v0) = (SampleVariance(treated) / treated.Count, SampleVariance(control) / control.Count);
        var se = Math.Sqrt(v1 + v0);
        var df = (v1 + v0) * (v1 + v0) / ((v1 * v1 / (treated.Count - 1)) + (v0 * v0 / (control.Count - 1)));
        var estimate = Mean(treated) - Mean(control);
        var t = StudentT.TwoSidedQuantile(alpha, df);
        return new Estimate(estimate, se, df, new Interval(estimate - (t * se), estimate + (t * se), NeymanMethod));
    }

    /// <summary>
    /// Σ_j (N_j/N)·(ȳ₁ⱼ − ȳ₀ⱼ), SE √Σ (N_j/N)² SE_j², t interval on N − 2J degrees of freedom as estimatr's
    /// difference_in_means. Every block needs a unit in each arm. An arm with a single unit has no sample
    /// variance; it borrows the sample variance of its whole block (both arms), which leaves the point
    /// estimate as estimatr gives it and errs towards a wider interval when the effect is not zero. Such a
    /// borrowing is named in <see cref="Estimate.Note"/>.
    /// </summary>
    /// <param name="names">The blocks' names, for the note; "block 1", "block 2", … when not given.</param>
    public static Estimate Blocked(IReadOnlyList<(IReadOnlyList<double> Treated, IReadOnlyList<double> Control)> blocks, double alpha = 0.05, IReadOnlyList<string>? names = null)
    {
        if (blocks.Count == 0 || blocks.Any(b => b.Treated.Count == 0 || b.Control.Count == 0))
        {
            throw new ArgumentException("every block needs at least one unit in each arm", nameof(blocks));
        }

        var total = blocks.Sum(b => b.Treated.Count + b.Control.Count);
        var value = 0.0;
        var variance = 0.0;
        var borrowed = new List<string>();
        for (var j = 0; j < blocks.Count; j++)
        {
            var (treated, control) = blocks[j];
            var weight = (treated.Count + control.Count) / (double)total;
            value += weight * (Mean(treated) - Mean(control));
            var pooled = treated.Count == 1 || control.Count == 1 ? SampleVariance([.. treated, .. control]) : double.NaN;
            if (!double.IsNaN(pooled))
            {
                borrowed.Add(names is null ? $"block {j + 1}" : $"stratum {names[j]}");
            }

            var (v1, v0) = (treated.Count == 1 ? pooled : SampleVariance(treated), control.Count == 1 ? pooled : SampleVariance(control));
            variance += weight * weight * ((v1 / treated.Count) + (v0 / control.Count));
        }

        var estimate = Weighted.WithTInterval(value, Math.Sqrt(variance), total - (2 * blocks.Count), BlockedMethod, alpha);
        return borrowed.Count == 0
            ? estimate
            : estimate with { Note = $"In {(borrowed.Count == 1 ? borrowed[0] : string.Join(", ", borrowed[..^1]) + " and " + borrowed[^1])} one arm has a single unit; its variance is taken as that of the whole block, both arms together." };
    }
}

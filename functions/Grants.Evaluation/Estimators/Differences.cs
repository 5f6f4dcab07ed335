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

/// <summary>Student's t distribution: its CDF through the regularised incomplete beta function, and quantiles by bisection.</summary>
public static class StudentT
{
    /// <summary>The 97.5% quantile, for two-sided 95% intervals; the normal one when df is unknown or infinite.</summary>
    public static double Quantile975(double df) => TwoSidedQuantile(0.05, df);

    /// <summary>The 1 − α/2 quantile, for two-sided intervals at level 1 − α; the normal one when df is unknown or infinite.</summary>
    public static double TwoSidedQuantile(double alpha, double df) =>
        double.IsNaN(df) || double.IsInfinity(df) ? Normal.Quantile(1 - (alpha / 2)) : Quantile(1 - (alpha / 2), df);

    public static double Quantile(double probability, double df)
    {
        double low = 0, high = 1;
        while (Cdf(high, df) < probability)
        {
            high *= 2;
        }

        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = Cdf(middle, df) < probability ? (middle, high) : (low, middle);
        }

        return (low + high) / 2;
    }

    /// <summary>
    /// Two-sided p-value of a t statistic: 2·P(T ≥ |t|) = I_{df/(df+t²)}(df/2, ½), computed as the tail itself
    /// rather than 1 − CDF, so that a p-value of 1e-23 stays 1e-23 instead of becoming 0.
    /// </summary>
    public static double TwoSidedP(double t, double df) =>
        double.IsNaN(t) || double.IsNaN(df) ? double.NaN
        : double.IsInfinity(df) ? Math.Min(1, 2 * Normal.UpperTail(Math.Abs(t)))
        : Math.Min(1, IncompleteBeta(df / (df + (t * t)), df / 2, 0.5));

    /// <summary>P(T ≤ t) = 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0, by symmetry below 0.</summary>
    public static double Cdf(double t, double df)
    {
        var tail = 0.5 * IncompleteBeta(df / (df + (t * t)), df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>Regularised incomplete beta I_x(a, b), by its continued fraction (modified Lentz).</summary>
    public static double IncompleteBeta(double x, double a, double b)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - (front * ContinuedFraction(1 - x, b, a) / b);
    }

    /// <summary>ln Γ(x) by Lanczos' approximation (g = 7), accurate to about 15 digits for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        double[] c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = c[0];
        for (var i = 1; i < c.Length; i++)
        {
            sum += c[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - ((a + b) * x / (a + 1));
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + (even * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + (even / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + (odd * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + (odd / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }
}

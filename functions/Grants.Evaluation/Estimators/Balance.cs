namespace Grants.Evaluation.Estimators;

/// <summary>
/// Baseline balance between winners and losers: the normalised difference (x̄₁ − x̄₀)/√((s₁² + s₀²)/2)
/// (Imbens &amp; Rubin 2015, ch. 14). Unlike a t statistic it does not grow with the sample, so it says
/// whether the arms differ by much, not whether they differ at all; |Δ| above 0.25 deserves a look.
/// </summary>
public static class Balance
{
    public const string Method = "Normalised difference (Imbens & Rubin 2015, ch. 14); sample variances, and lottery-weighted";
    public const double Threshold = 0.25;

    public static double NormalisedDifference(IReadOnlyList<double> treated, IReadOnlyList<double> control)
    {
        var spread = Math.Sqrt((Differences.SampleVariance(treated) + Differences.SampleVariance(control)) / 2);
        return spread == 0 ? 0 : (Differences.Mean(treated) - Differences.Mean(control)) / spread;
    }

    /// <summary>The same with lottery weights: weighted means and weighted (population) variances.</summary>
    public static double WeightedNormalisedDifference(IReadOnlyList<(double Value, double Weight)> treated, IReadOnlyList<(double Value, double Weight)> control)
    {
        var spread = Math.Sqrt((Weighted.Variance(treated) + Weighted.Variance(control)) / 2);
        return spread == 0 ? 0 : (Weighted.Mean(treated) - Weighted.Mean(control)) / spread;
    }
}

namespace Grants.Evaluation.Estimators;

/// <summary>Sharp bounds on the effect among units that would respond whatever their assignment.</summary>
public sealed record Bounds(double Lower, double Upper, double TrimmedShare, string TrimmedArm, string Method);

/// <summary>
/// Lee (2009) trimming bounds for differential attrition. When one arm answers the follow-up more often,
/// its extra respondents are trimmed away — once from the top and once from the bottom of its outcome
/// distribution — so that both arms compare the same kind of unit, "always-responders". The trimmed
/// share is q = (r_high − r_low) / r_high. For a 0/1 outcome with share p among the arm's respondents
/// this gives the closed form max(0, (p − q)/(1 − q)) … min(1, p/(1 − q)). Weights are the lottery
/// weights, so unequal probabilities are respected.
/// </summary>
public static class LeeBounds
{
    public const string Method = "Lee (2009) trimming bounds for differential attrition";

    /// <param name="treatment">Respondents of the assigned arm: outcome and weight.</param>
    /// <param name="control">Respondents of the control arm.</param>
    /// <param name="treatmentResponseRate">Share of the assigned arm with an observed outcome.</param>
    /// <param name="controlResponseRate">Share of the control arm with an observed outcome.</param>
    public static Bounds? Estimate(
        IReadOnlyList<(double Y, double Weight)> treatment,
        IReadOnlyList<(double Y, double Weight)> control,
        double treatmentResponseRate,
        double controlResponseRate)
    {
        if (treatment.Count == 0 || control.Count == 0)
        {
            return null;
        }

        if (treatmentResponseRate >= controlResponseRate)
        {
            var q = (treatmentResponseRate - controlResponseRate) / treatmentResponseRate;
            var controlMean = Weighted.Mean(control);
            return new Bounds(TrimmedMean(treatment, q, fromTop: true) - controlMean, TrimmedMean(treatment, q, fromTop: false) - controlMean, q, "treatment", Method);
        }
        else
        {
            var q = (controlResponseRate - treatmentResponseRate) / controlResponseRate;
            var treatmentMean = Weighted.Mean(treatment);
            return new Bounds(treatmentMean - TrimmedMean(control, q, fromTop: false), treatmentMean - TrimmedMean(control, q, fromTop: true), q, "control", Method);
        }
    }

    /// <summary>The weighted mean after removing the share <paramref name="q"/> of the weight from one end of the sorted outcomes.</summary>
    public static double TrimmedMean(IReadOnlyList<(double Y, double Weight)> values, double q, bool fromTop)
    {
        var sorted = fromTop ? values.OrderByDescending(v => v.Y).ToArray() : values.OrderBy(v => v.Y).ToArray();
        var total = sorted.Sum(v => v.Weight);
        var toDrop = q * total;
        double sum = 0, kept = 0;
        foreach (var (y, weight) in sorted)
        {
            var dropped = Math.Min(weight, toDrop);
            toDrop -= dropped;
            sum += (weight - dropped) * y;
            kept += weight - dropped;
        }

        return kept <= 0 ? double.NaN : sum / kept;
    }
}

namespace Grants.Evaluation.Estimators;

/// <summary>One analysed unit: its outcome, whether it was assigned (offered) and its weight.</summary>
public readonly record struct WeightedUnit(double Y, bool Assigned, double Weight);

/// <summary>
/// Inverse-probability-weighted (Hajek) estimation for lotteries whose units had unequal chances of
/// winning: each unit is weighted by 1/p when assigned and 1/(1−p) when not, so that both arms stand for
/// the whole pool; the means are normalised by the sum of weights (Hajek), which is more stable than
/// dividing by N (Horvitz–Thompson). The standard error is the HC2 sandwich of the weighted regression of
/// the outcome on assignment, as R's estimatr::lm_robust(weights =, se_type = "HC2") computes it.
/// </summary>
public static class Weighted
{
    public const string HajekMethod = "Hajek inverse-probability-weighted difference in means (weights 1/p, 1/(1−p)), HC2 standard error";

    public static double InverseProbabilityWeight(bool assigned, double pAssign) => assigned ? 1 / pAssign : 1 / (1 - pAssign);

    public static double Mean(IEnumerable<(double Value, double Weight)> values)
    {
        double sum = 0, weights = 0;
        foreach (var (value, weight) in values)
        {
            sum += value * weight;
            weights += weight;
        }

        return weights == 0 ? double.NaN : sum / weights;
    }

    /// <summary>Σw(x − m)² / Σw, the weighted population variance.</summary>
    public static double Variance(IReadOnlyCollection<(double Value, double Weight)> values)
    {
        var mean = Mean(values);
        var weights = values.Sum(v => v.Weight);
        return values.Sum(v => v.Weight * (v.Value - mean) * (v.Value - mean)) / weights;
    }

    public static Estimate Hajek(IReadOnlyList<WeightedUnit> units, double alpha = 0.05)
    {
        var treated = units.Where(u => u.Assigned).Select(u => (u.Y, u.Weight)).ToArray();
        var control = units.Where(u => !u.Assigned).Select(u => (u.Y, u.Weight)).ToArray();
        var value = Mean(treated) - Mean(control);
        var se = Math.Sqrt(GroupHc2(treated, Mean(treated)) + GroupHc2(control, Mean(control)));
        return WithTInterval(value, se, units.Count - 2, HajekMethod, alpha);
    }

    /// <summary>
    /// The HC2 contribution of one arm to the variance of a difference of weighted means: with the hat
    /// values hᵢ = wᵢ/W of a saturated weighted regression, Σ wᵢ² eᵢ² / (1 − hᵢ) / W².
    /// </summary>
    internal static double GroupHc2(IReadOnlyCollection<(double Value, double Weight)> group, double centre)
    {
        var total = group.Sum(g => g.Weight);
        var sum = 0.0;
        foreach (var (value, weight) in group)
        {
            var residual = value - centre;
            sum += weight * weight * residual * residual / (1 - (weight / total));
        }

        return sum / (total * total);
    }

    internal static Estimate WithTInterval(double value, double se, double df, string method, double alpha)
    {
        var t = df > 0 ? StudentT.TwoSidedQuantile(alpha, df) : double.NaN;
        return new Estimate(value, se, df, new Interval(value - (t * se), value + (t * se), method));
    }
}

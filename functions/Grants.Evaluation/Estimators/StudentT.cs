using MathNet.Numerics;
using MathNet.Numerics.RootFinding;
using Distributions = MathNet.Numerics.Distributions;

namespace Grants.Evaluation.Estimators;

/// <summary>
/// Student's t distribution, as the estimators use it: thin wrappers over MathNet.Numerics. The
/// two-sided tail is the regularised incomplete beta function itself, never one minus the CDF, and
/// quantiles solve that tail for t. Degrees of freedom that are NaN or infinite give the standard
/// normal's quantile (and, when infinite, its tail); so do finite ones above <see cref="NormalAbove"/>.
/// </summary>
public static class StudentT
{
    /// <summary>
    /// Above this many degrees of freedom the t distribution is taken as the normal. There ln Γ(df/2)
    /// exceeds 10¹⁰, and the incomplete beta function loses more digits to its rounding (a relative error
    /// of about 10⁻⁶) than the normal misses of the t tail (about (t² + 1)²/(4·df), below 10⁻⁶ for
    /// |t| ≤ 5); by df = 10¹⁵ the incomplete beta route is wrong in the first digit.
    /// </summary>
    public const double NormalAbove = 1e9;

    /// <summary>The 97.5% quantile, for two-sided 95% intervals; the normal one when df is unknown or infinite.</summary>
    public static double Quantile975(double df) => TwoSidedQuantile(0.05, df);

    /// <summary>
    /// The 1 − α/2 quantile, for two-sided intervals at level 1 − α: the t ≥ 0 whose two-sided tail
    /// <see cref="TwoSidedP"/> is α, found by MathNet's Brent root finder (<c>MathNet.Numerics.RootFinding.Brent</c>)
    /// on the tail's relative error, so that small α keep their digits too. The normal one when df is
    /// unknown, infinite or above <see cref="NormalAbove"/>; NaN when df ≤ 0.
    /// </summary>
    public static double TwoSidedQuantile(double alpha, double df)
    {
        if (alpha is not (> 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "must lie strictly between 0 and 1");
        }

        if (double.IsNaN(df) || IsNormal(df))
        {
            return -Normal.Quantile(alpha / 2);
        }

        if (df <= 0)
        {
            return double.NaN;
        }

        // The tail falls from 1 at t = 0 towards 0: bracket its crossing of α by doubling. MathNet's own
        // StudentT.InvCDF brackets in [−800, 800] and stops at an absolute CDF error of 1e-12: it finds no
        // root below df = 1 at the usual levels, and loses digits far out in the tail. Beyond
        // √double.MaxValue ≈ 1.3e154, t² overflows and the tail reads 0: a quantile out there (df well
        // below 1 with a small α) is taken as +∞.
        double RelativeExcess(double t) => (TwoSidedP(t, df) / alpha) - 1;
        double low = 0, high = Math.Max(1, -Normal.Quantile(alpha / 2));
        while (RelativeExcess(high) > 0)
        {
            (low, high) = (high, 2 * high);
            if (high * high > double.MaxValue)
            {
                return double.PositiveInfinity;
            }
        }

        return Brent.FindRoot(RelativeExcess, low, high, accuracy: 1e-15, maxIterations: 200);
    }

    /// <summary>The quantile at <paramref name="probability"/> (0 &lt; p &lt; 1), from the two-sided one by symmetry.</summary>
    public static double Quantile(double probability, double df) =>
        probability is not (> 0 and < 1) ? throw new ArgumentOutOfRangeException(nameof(probability), "must lie strictly between 0 and 1")
        : probability == 0.5 ? (double.IsNaN(df) || df > 0 ? 0 : double.NaN)
        : probability > 0.5 ? TwoSidedQuantile(2 * (1 - probability), df)
        : -TwoSidedQuantile(2 * probability, df);

    /// <summary>
    /// Two-sided p-value of a t statistic: 2·P(T ≥ |t|) = I_{df/(df+t²)}(df/2, ½), the regularised incomplete
    /// beta function (<c>MathNet.Numerics.SpecialFunctions.BetaRegularized</c>) computed as the tail itself
    /// rather than 1 − CDF, so that a p-value of 1e-23 stays 1e-23 instead of becoming 0. The normal's
    /// 2·(1 − Φ(|t|)) when df is infinite or above <see cref="NormalAbove"/>; NaN when t or df is NaN or df ≤ 0.
    /// </summary>
    public static double TwoSidedP(double t, double df) =>
        double.IsNaN(t) || double.IsNaN(df) ? double.NaN
        : IsNormal(df) ? Math.Min(1, 2 * Normal.UpperTail(Math.Abs(t)))
        : df <= 0 ? double.NaN
        : Math.Min(1, SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + (t * t))));

    /// <summary>
    /// P(T ≤ t) = 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0, by symmetry below 0
    /// (<c>MathNet.Numerics.Distributions.StudentT.CDF</c>); Φ(t) when df is infinite or above
    /// <see cref="NormalAbove"/>; NaN when t or df is NaN or df ≤ 0.
    /// </summary>
    public static double Cdf(double t, double df) =>
        double.IsNaN(t) || double.IsNaN(df) ? double.NaN
        : IsNormal(df) ? Normal.Cdf(t)
        : df <= 0 ? double.NaN
        : Distributions.StudentT.CDF(0, 1, df, t);

    private static bool IsNormal(double df) => double.IsInfinity(df) || df > NormalAbove;
}

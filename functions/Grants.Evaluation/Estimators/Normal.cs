using MathNet.Numerics;
using Distributions = MathNet.Numerics.Distributions;

namespace Grants.Evaluation.Estimators;

/// <summary>
/// The standard normal distribution, as the estimators use it: thin wrappers over MathNet.Numerics,
/// whose CDF is ½·erfc(−x/√2) and whose quantile is −√2·erfc⁻¹(2p), so both tails keep their digits.
/// </summary>
public static class Normal
{
    /// <summary>Φ(x) = P(Z ≤ x) = ½·erfc(−x/√2) (<c>MathNet.Numerics.Distributions.Normal.CDF</c>); NaN for NaN.</summary>
    public static double Cdf(double x) => double.IsNaN(x) ? double.NaN : Distributions.Normal.CDF(0, 1, x);

    /// <summary>Upper tail 1 − Φ(x) = ½·erfc(x/√2) (<c>MathNet.Numerics.SpecialFunctions.Erfc</c>), computed without cancellation for large x.</summary>
    public static double UpperTail(double x) => double.IsNaN(x) ? double.NaN : 0.5 * SpecialFunctions.Erfc(x / Constants.Sqrt2);

    /// <summary>Φ⁻¹(p) = −√2·erfc⁻¹(2p) (<c>MathNet.Numerics.Distributions.Normal.InvCDF</c>), for 0 &lt; p &lt; 1.</summary>
    public static double Quantile(double probability) =>
        probability is > 0 and < 1
            ? Distributions.Normal.InvCDF(0, 1, probability)
            : throw new ArgumentOutOfRangeException(nameof(probability), "must lie strictly between 0 and 1");
}

namespace Grants.Evaluation.Estimators;

/// <summary>
/// The standard normal distribution: its CDF through the regularised incomplete gamma function,
/// Φ(x) = ½ + ½·sign(x)·P(½, x²/2), and its quantile by bisection on the CDF.
/// </summary>
public static class Normal
{
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        var half = 0.5 * LowerGammaRegularised(0.5, x * x / 2);
        return x >= 0 ? 0.5 + half : 0.5 - half;
    }

    /// <summary>Upper tail 1 − Φ(x), computed without cancellation for large x.</summary>
    public static double UpperTail(double x) => x >= 0 ? 0.5 * UpperGammaRegularised(0.5, x * x / 2) : 1 - UpperTail(-x);

    public static double Quantile(double probability)
    {
        if (probability is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), "must lie strictly between 0 and 1");
        }

        double low = -40, high = 40;
        for (var i = 0; i < 200 && high - low > 1e-14; i++)
        {
            var middle = (low + high) / 2;
            (low, high) = Cdf(middle) < probability ? (middle, high) : (low, middle);
        }

        return (low + high) / 2;
    }

    /// <summary>P(a, x) by its series for x &lt; a + 1, otherwise 1 − Q(a, x).</summary>
    public static double LowerGammaRegularised(double a, double x) =>
        x <= 0 ? 0 : x < a + 1 ? GammaSeries(a, x) : 1 - GammaContinuedFraction(a, x);

    public static double UpperGammaRegularised(double a, double x) =>
        x <= 0 ? 1 : x < a + 1 ? 1 - GammaSeries(a, x) : GammaContinuedFraction(a, x);

    private static double GammaSeries(double a, double x)
    {
        double term = 1 / a, sum = term;
        for (var n = 1; n < 1000; n++)
        {
            term *= x / (a + n);
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * 1e-17)
            {
                break;
            }
        }

        return sum * Math.Exp((a * Math.Log(x)) - x - StudentT.LogGamma(a));
    }

    /// <summary>Q(a, x) by Legendre's continued fraction, evaluated with the modified Lentz method.</summary>
    private static double GammaContinuedFraction(double a, double x)
    {
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 1000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = b + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp((a * Math.Log(x)) - x - StudentT.LogGamma(a)) * h;
    }
}

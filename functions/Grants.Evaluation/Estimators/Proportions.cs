namespace Grants.Evaluation.Estimators;

/// <summary>
/// Intervals for proportions and their differences, as Newcombe (1998) recommends:
/// Wilson's score interval for one proportion (Newcombe 1998a, method 3) and the hybrid score
/// interval for a difference of independent proportions (Newcombe 1998b, method 10), which
/// combines the two Wilson intervals. Both behave well at 0 and 1, where the Wald interval fails.
/// </summary>
public static class Proportions
{
    public const string WilsonMethod = "Wilson score interval (Newcombe 1998a, method 3)";
    public const string NewcombeMethod = "Newcombe hybrid score interval (Newcombe 1998b, method 10)";

    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static Proportion Wilson(int x, int n, double z = Z95)
    {
        if (n <= 0 || x < 0 || x > n)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"need 0 ≤ x ≤ n and n > 0, got {x}/{n}");
        }

        return new Proportion(x, n, x / (double)n, WilsonInterval(x, n, z, WilsonMethod));
    }

    public const string WeightedWilsonMethod = "Share weighted by the inverse of each unit's chance of its arm; Wilson score interval on Kish's effective sample size (Σw)²/Σw² (Dean & Pagano 2015)";

    /// <summary>
    /// A weighted share Σwy/Σw of 0/1 values with Wilson's interval taken on Kish's effective sample size
    /// n_eff = (Σw)²/Σw², the design-effect form of Wilson's interval that Dean &amp; Pagano (2015) found to
    /// keep its coverage under unequal weights. With equal weights it is Wilson's interval itself.
    /// </summary>
    public static (double P, double EffectiveN, Interval Ci) WeightedWilson(IReadOnlyCollection<(double Y, double Weight)> units, double z = Z95)
    {
        if (units.Count == 0 || units.Any(u => u.Y is not (0 or 1) || !(u.Weight > 0)))
        {
            throw new ArgumentException("need at least one unit, 0/1 values and positive weights", nameof(units));
        }

        var (sum, squares, hits) = (units.Sum(u => u.Weight), units.Sum(u => u.Weight * u.Weight), units.Sum(u => u.Weight * u.Y));
        var p = hits / sum;
        var effective = sum * sum / squares;
        return (p, effective, WilsonInterval(p * effective, effective, z, WeightedWilsonMethod));
    }

    /// <summary>Wilson's score interval for x successes in n trials; x and n need not be whole (effective sample sizes).</summary>
    private static Interval WilsonInterval(double x, double n, double z, string method)
    {
        var z2 = z * z;
        var centre = (x + (z2 / 2)) / (n + z2);
        var half = z * Math.Sqrt((x * (n - x) / n) + (z2 / 4)) / (n + z2);
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half), method);
    }

    /// <summary>Difference p₁ − p₂ with Newcombe's hybrid score interval.</summary>
    public static (double Estimate, Interval Ci) NewcombeDifference(int x1, int n1, int x2, int n2, double z = Z95)
    {
        var (a, b) = (Wilson(x1, n1, z), Wilson(x2, n2, z));
        var d = a.P - b.P;
        var lower = d - Math.Sqrt(Square(a.P - a.Ci.Lower) + Square(b.Ci.Upper - b.P));
        var upper = d + Math.Sqrt(Square(a.Ci.Upper - a.P) + Square(b.P - b.Ci.Lower));
        return (d, new Interval(lower, upper, NewcombeMethod));
    }

    private static double Square(double value) => value * value;
}

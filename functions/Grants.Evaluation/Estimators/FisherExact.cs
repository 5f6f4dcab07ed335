namespace Grants.Evaluation.Estimators;

/// <summary>
/// Fisher's exact test for a 2×2 table, two-sided by the "minlike" rule of R's <c>fisher.test</c>:
/// the p-value sums the probabilities of all tables with the same margins that are no more likely than
/// the observed one (with R's relative tolerance of 10⁻⁷ for ties).
/// </summary>
public static class FisherExact
{
    public const string Method = "Fisher's exact test, two-sided, minlike (as R fisher.test)";
    private const double RelativeTolerance = 1 + 1e-7;

    /// <param name="a">Row 1, column 1 (e.g. treatment, realised).</param>
    /// <param name="b">Row 1, column 2.</param>
    /// <param name="c">Row 2, column 1.</param>
    /// <param name="d">Row 2, column 2.</param>
    public static double TwoSidedP(int a, int b, int c, int d)
    {
        if (a < 0 || b < 0 || c < 0 || d < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(a), "cell counts must not be negative");
        }

        var row1 = a + b;
        var column1 = a + c;
        var total = a + b + c + d;
        var logFactorial = LogFactorials(total);
        double LogP(int k) =>
            logFactorial[row1] + logFactorial[total - row1] + logFactorial[column1] + logFactorial[total - column1]
            - logFactorial[total] - logFactorial[k] - logFactorial[row1 - k] - logFactorial[column1 - k] - logFactorial[total - row1 - column1 + k];

        var observed = LogP(a);
        var p = 0.0;
        for (var k = Math.Max(0, row1 + column1 - total); k <= Math.Min(row1, column1); k++)
        {
            var logP = LogP(k);
            if (logP <= observed + Math.Log(RelativeTolerance))
            {
                p += Math.Exp(logP);
            }
        }

        return Math.Min(1, p);
    }

    private static double[] LogFactorials(int n)
    {
        var table = new double[n + 1];
        for (var i = 2; i <= n; i++)
        {
            table[i] = table[i - 1] + Math.Log(i);
        }

        return table;
    }
}

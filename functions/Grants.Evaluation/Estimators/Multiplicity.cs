namespace Grants.Evaluation.Estimators;

/// <summary>
/// Holm's step-down adjustment (Holm 1979) across a declared family of outcomes: the i-th smallest
/// p-value is multiplied by (m − i + 1), then made monotone and capped at 1. Controls the family-wise
/// error rate without assuming independence; uniformly more powerful than Bonferroni.
/// </summary>
public static class Multiplicity
{
    public const string HolmMethod = "Holm step-down adjustment (Holm 1979)";

    /// <returns>Adjusted p-values in the order given.</returns>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }

        return adjusted;
    }
}

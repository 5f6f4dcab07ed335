using System.Numerics;

namespace Grants.Evaluation.Estimators;

/// <summary>The randomisation-inference p-value, exact or Monte Carlo with its own standard error.</summary>
public sealed record RandomisationP(double P, double McSe, bool Exact, int Draws, string Method);

/// <summary>
/// Randomisation inference under the sharp null of no effect for anyone (Gerber &amp; Green 2012, ch. 3.4):
/// outcomes stay as observed, the assignment is re-drawn as the design drew it (complete random
/// assignment of the same number of winners), and the p-value is the share of assignments whose
/// |difference in means| is at least the observed one. Exact by enumeration when the number of
/// assignments is small, otherwise Monte Carlo with a seed.
/// </summary>
public static class RandomisationInference
{
    public const string ExactMethod = "Randomisation inference, exact enumeration of assignments (Gerber & Green 2012, ch. 3.4)";
    public const string MonteCarloMethod = "Randomisation inference, Monte Carlo over assignments (Gerber & Green 2012, ch. 3.4)";

    public static RandomisationP TwoSided(IReadOnlyList<double> outcomes, IReadOnlyList<bool> assigned, int maxExact = 100_000, int draws = 10_000, int seed = 20080601)
    {
        var n = outcomes.Count;
        var treated = assigned.Count(a => a);
        var total = outcomes.Sum();
        double Difference(IEnumerable<int> treatedUnits)
        {
            var sum = treatedUnits.Sum(i => outcomes[i]);
            return (sum / treated) - ((total - sum) / (n - treated));
        }

        var observed = Math.Abs(Difference(Enumerable.Range(0, n).Where(i => assigned[i])));
        var tolerance = 1e-12 * Math.Max(1, observed);
        var assignments = Binomial(n, treated);
        if (assignments <= maxExact)
        {
            long extreme = 0, count = 0;
            foreach (var combination in Combinations(n, treated))
            {
                count++;
                if (Math.Abs(Difference(combination)) >= observed - tolerance)
                {
                    extreme++;
                }
            }

            return new RandomisationP(extreme / (double)count, 0, true, (int)count, ExactMethod);
        }

        // A seeded generator makes the reported p-value reproducible from the export; it does not allocate anything.
        var random = new Random(seed);
        var indices = Enumerable.Range(0, n).ToArray();
        var hits = 0;
        for (var d = 0; d < draws; d++)
        {
            random.Shuffle(indices);
            if (Math.Abs(Difference(indices.Take(treated))) >= observed - tolerance)
            {
                hits++;
            }
        }

        var p = hits / (double)draws;
        return new RandomisationP(p, Math.Sqrt(p * (1 - p) / draws), false, draws, MonteCarloMethod);
    }

    public static BigInteger Binomial(int n, int k)
    {
        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var combination = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return combination;
            var i = k - 1;
            while (i >= 0 && combination[i] == n - k + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            combination[i]++;
            for (var j = i + 1; j < k; j++)
            {
                combination[j] = combination[j - 1] + 1;
            }
        }
    }
}

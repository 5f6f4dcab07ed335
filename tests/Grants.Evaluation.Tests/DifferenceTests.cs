using Grants.Evaluation.Estimators;

namespace Grants.Evaluation.Tests;

public sealed class DifferenceTests
{
    // Gerber & Green (2012), Table 2.1: potential outcomes of seven villages; true ATE = 5.
    private static readonly double[] Y0 = [10, 15, 20, 20, 10, 15, 15];
    private static readonly double[] Y1 = [15, 15, 30, 15, 20, 15, 30];

    [Fact]
    public void DifferenceInMeansIsUnbiasedOverEveryAssignmentOfTheSevenVillages()
    {
        Assert.Equal(5.0, Y1.Average() - Y0.Average(), 12);
        var estimates = new List<double>();
        for (var a = 0; a < 7; a++)
        {
            for (var b = a + 1; b < 7; b++)
            {
                var treated = new[] { Y1[a], Y1[b] };
                var control = Enumerable.Range(0, 7).Where(i => i != a && i != b).Select(i => Y0[i]).ToArray();
                estimates.Add(Differences.Neyman(treated, control).Value);
            }
        }

        Assert.Equal(21, estimates.Count);
        Assert.Equal(5.0, estimates.Average(), 10);
    }

    [Fact]
    public void BlockedEstimatorWeightsBlocksByTheirShareOfUnits()
    {
        // By hand: block A (6 units) difference 2, block B (4 units) difference 10 → 0.6·2 + 0.4·10 = 5.2.
        double[] aTreated = [3, 3, 4], aControl = [1, 2, 1];
        double[] bTreated = [12, 14], bControl = [3, 3];
        var blocked = Differences.Blocked([(aTreated, aControl), (bTreated, bControl)]);
        Assert.Equal(0.6 * ((10 / 3.0) - (4 / 3.0)) + (0.4 * (13 - 3)), blocked.Value, 12);
        Assert.True(blocked.Ci.Lower < blocked.Value && blocked.Value < blocked.Ci.Upper);
    }

    [Theory]
    [InlineData(5, 2.5706)]   // t tables: t(0.975, 5) = 2.5706
    [InlineData(10, 2.2281)]  // t(0.975, 10) = 2.2281
    [InlineData(30, 2.0423)]  // t(0.975, 30) = 2.0423
    public void StudentQuantileMatchesTheTables(double df, double expected) => Assert.Equal(expected, StudentT.Quantile975(df), 4);

    [Fact]
    public void ExactRandomisationInferenceMatchesFishersHypergeometricTailForBinaryOutcomes()
    {
        // For a binary outcome with the number of winners fixed, re-drawing assignments is Fisher's
        // hypergeometric model: two independent routes to the same p-value.
        // 12 winners (9 went ahead), 12 losers (3 went ahead).
        var outcomes = Enumerable.Repeat(1.0, 9).Concat(Enumerable.Repeat(0.0, 3)).Concat(Enumerable.Repeat(1.0, 3)).Concat(Enumerable.Repeat(0.0, 9)).ToArray();
        var assigned = Enumerable.Range(0, 24).Select(i => i < 12).ToArray();

        var ri = RandomisationInference.TwoSided(outcomes, assigned, maxExact: int.MaxValue);

        Assert.True(ri.Exact);
        // The table is symmetric, so |difference| ≥ observed is exactly Fisher's two-sided set of tables.
        Assert.Equal(FisherExact.TwoSidedP(9, 3, 3, 9), ri.P, 10);
    }

    [Fact]
    public void MonteCarloRandomisationInferenceIsCloseToExactAndReportsItsError()
    {
        // 20 units, 7 winners: C(20, 7) = 77,520 assignments, few enough to enumerate.
        var outcomes = Enumerable.Range(0, 20).Select(i => (double)(i * i % 7)).ToArray();
        var assigned = Enumerable.Range(0, 20).Select(i => i % 3 == 0).ToArray();
        var exact = RandomisationInference.TwoSided(outcomes, assigned);
        var sampled = RandomisationInference.TwoSided(outcomes, assigned, maxExact: 0, draws: 20_000);
        Assert.True(exact.Exact);
        Assert.False(sampled.Exact);
        Assert.True(Math.Abs(sampled.P - exact.P) < 4 * sampled.McSe + 1e-9, $"MC {sampled.P} ± {sampled.McSe}, exact {exact.P}");
    }

    [Fact]
    public void AMonteCarloRandomisationPValueIsNeverZero()
    {
        // Winners 10..19, losers 0..9: no other assignment of the 184,756 is as extreme, so every draw misses.
        var outcomes = Enumerable.Range(0, 20).Select(i => (double)i + 0.5).ToArray();
        var assigned = Enumerable.Range(0, 20).Select(i => i >= 10).ToArray();
        var sampled = RandomisationInference.TwoSided(outcomes, assigned, maxExact: 0, draws: 999);
        Assert.Equal(1 / 1000.0, sampled.P, 15);
        Assert.Equal(Math.Sqrt(0.001 * 0.999 / 999), sampled.McSe, 15);
        Assert.Contains("(hits + 1)/(draws + 1)", sampled.Method, StringComparison.Ordinal);
        Assert.Equal(2 / 184_756.0, RandomisationInference.TwoSided(outcomes, assigned).P, 15);
    }

    [Theory]
    [InlineData(1e6, 1.0)]   // Cauchy: p = 2·atan(1/t)/π ≈ 6.4e-7
    [InlineData(1e11, 1.0)]  // ≈ 6.4e-12
    [InlineData(1e11, 2.0)]  // df = 2: p = 1 − t/√(2 + t²) = 2 / (√(2 + t²)·(√(2 + t²) + t)) ≈ 1e-22, which 1 − CDF turns into 0
    [InlineData(30.0, 2.0)]
    public void WelchsPValueIsComputedAsATailAndKeepsItsDigitsWhenSmall(double t, double df)
    {
        var root = Math.Sqrt(2 + (t * t));
        var expected = df == 1 ? 2 * Math.Atan(1 / t) / Math.PI : 2 / (root * (root + t));
        var p = StudentT.TwoSidedP(t, df);
        Assert.True(Math.Abs(p - expected) <= 1e-6 * expected, $"p = {p:R}, expected {expected:R}");
    }

    [Fact]
    public void TheBlockedEstimateNeedsBothArmsInEveryBlock() =>
        Assert.Throws<ArgumentException>(() => Differences.Blocked([([1.0, 0.0], [1.0]), ([1.0], [])]));
}

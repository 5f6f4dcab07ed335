using Grants.Evaluation.Estimators;

namespace Grants.Evaluation.Tests;

/// <summary>
/// The normal and t distributions at their edges: fewer than one degree of freedom (Welch's df is not an
/// integer), a great many, unknown or infinite ones, and probabilities close to 0 or 1. Reference values
/// are closed forms where one exists, otherwise computed with mpmath 1.3 at 50 significant digits.
/// </summary>
public sealed class DistributionTests
{
    private static void Close(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{actual:R}, expected {expected:R}");

    [Theory]
    [InlineData(2.0, 0.3, 0.56426969896078275)]
    [InlineData(1e11, 0.5, 2.0282910602932115e-6)]
    [InlineData(3.0, 2.5, 0.072576095549031844)]
    [InlineData(2.1, 7.3, 0.072246713424853365)]
    [InlineData(5.0, 1.0, 0.12566591637800237)]  // Cauchy: 1 − 2·atan(5)/π
    public void TheTailMatchesAnIndependentComputationAlsoBelowOneDegreeOfFreedom(double t, double df, double expected) =>
        Close(expected, StudentT.TwoSidedP(t, df), 1e-13);

    [Theory]
    [InlineData(0.05, 0.5, 164.55767348048851)]
    [InlineData(0.05, 0.3, 6582.0356994007758)]   // beyond the ±800 that MathNet's StudentT.InvCDF searches
    [InlineData(1e-4, 1.0, 6366.1976713159358)]   // Cauchy: tan(π·(½ − α/2))
    [InlineData(2e-10, 2.0, 70710.678108048149)]  // df = 2: √(2q²/(1 − q²)) with q = 1 − α
    [InlineData(2e-10, 5.0, 156.82559270889432)]
    [InlineData(0.05, 7.3, 2.3450667365477036)]
    [InlineData(0.001, 2.5, 18.277893528130648)]
    public void TwoSidedQuantilesMatchAnIndependentComputationBelowOneDegreeOfFreedomAndFarOutInTheTail(double alpha, double df, double expected) =>
        Close(expected, StudentT.TwoSidedQuantile(alpha, df), 1e-12);

    [Fact]
    public void TheQuantileInvertsTheTailAndTheCdf()
    {
        foreach (var df in new[] { 0.4, 1, 1.7, 3, 12.5, 92, 1e4, 1e6 })
        {
            foreach (var alpha in new[] { 0.001, 0.01, 0.05, 0.2, 0.49 })
            {
                // With many degrees of freedom df/(df + t²) is so near 1 that the tail moves in steps of about 1e-11.
                var t = StudentT.TwoSidedQuantile(alpha, df);
                var tolerance = df <= 100 ? 1e-12 : 1e-10;
                Close(alpha, StudentT.TwoSidedP(t, df), tolerance);
                Close(1 - (alpha / 2), StudentT.Cdf(t, df), tolerance);
                Close(alpha / 2, StudentT.Cdf(-t, df), tolerance);
                Close(t, StudentT.Quantile(1 - (alpha / 2), df), 1e-12);
                Close(-t, StudentT.Quantile(alpha / 2, df), 1e-12);
            }
        }

        Assert.Equal(-2.2281, StudentT.Quantile(0.025, 10), 4);
        Assert.Equal(0, StudentT.Quantile(0.5, 3));
    }

    [Fact]
    public void AGreatManyDegreesOfFreedomGiveTheNormal()
    {
        // Up to a million degrees of freedom the incomplete beta function keeps about ten digits.
        Close(0.0455005338513192, StudentT.TwoSidedP(2, 1e6), 1e-9);
        Close(1.95996635681411, StudentT.TwoSidedQuantile(0.05, 1e6), 1e-9);
        // Above 1e9 the t distribution is the normal, which is nearer than what the incomplete beta
        // function keeps there: at df = 1e20 it would read t = 5 as p = 1, since df/(df + t²) rounds to 1.
        Close(0.045500263896628369, StudentT.TwoSidedP(2, 1e12), 1e-11);
        Close(5.7330314375838782e-7, StudentT.TwoSidedP(5, 1e20), 1e-13);
        Close(1.959963984540054, StudentT.TwoSidedQuantile(0.05, 1e300), 1e-15);
        Close(0.9772498680518208, StudentT.Cdf(2, 1e20), 1e-15);
    }

    [Fact]
    public void UnknownOrInfiniteDegreesOfFreedomFallBackToTheNormalAndNonPositiveOnesHaveNone()
    {
        Close(1.959963984540054, StudentT.TwoSidedQuantile(0.05, double.NaN), 1e-15);
        Close(1.959963984540054, StudentT.TwoSidedQuantile(0.05, double.PositiveInfinity), 1e-15);
        Close(1.959963984540054, StudentT.Quantile975(double.PositiveInfinity), 1e-15);
        Close(5.7330314375838782e-7, StudentT.TwoSidedP(-5, double.PositiveInfinity), 1e-13);
        Assert.True(double.IsNaN(StudentT.TwoSidedP(2, double.NaN)));
        Assert.True(double.IsNaN(StudentT.TwoSidedP(double.NaN, 5)));
        Assert.True(double.IsNaN(StudentT.TwoSidedP(2, 0)));
        Assert.True(double.IsNaN(StudentT.TwoSidedQuantile(0.05, 0)));
        Assert.True(double.IsNaN(StudentT.Cdf(1, -1)));
        Assert.Equal(1, StudentT.TwoSidedP(0, 3));
        Assert.Equal(0, StudentT.TwoSidedP(double.PositiveInfinity, 3));
        Assert.Equal(double.PositiveInfinity, StudentT.TwoSidedQuantile(1e-100, 0.3)); // 6.5e332 is beyond a double
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.TwoSidedQuantile(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile(1, 5));
    }

    [Fact]
    public void TheNormalKeepsItsDigitsInBothTails()
    {
        Close(2.7536241186062337e-89, Normal.Cdf(-20), 1e-13);
        Close(2.7536241186062337e-89, Normal.UpperTail(20), 1e-13);
        Close(6.2209605742717841e-16, Normal.Cdf(-8), 1e-14);
        Close(0.9772498680518208, Normal.UpperTail(-2), 1e-15);
        Close(-37.047096299361199, Normal.Quantile(1e-300), 1e-14);
        Close(-6.3613409024040562, Normal.Quantile(1e-10), 1e-14);
        Close(6.3613409024040562, -Normal.Quantile(1e-10), 1e-14);
        Assert.True(double.IsNaN(Normal.Cdf(double.NaN)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normal.Quantile(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normal.Quantile(1));
    }
}

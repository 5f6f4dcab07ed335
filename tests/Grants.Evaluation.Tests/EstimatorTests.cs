using Grants.Evaluation.Estimators;
using Grants.Evaluation.Planning;

namespace Grants.Evaluation.Tests;

/// <summary>Properties of the weighted, non-compliance, attrition and balance estimators that hold by construction, checked on small hand-worked cases.</summary>
public sealed class EstimatorTests
{
    [Theory]
    [InlineData(0.975, 1.959963984540054)]  // standard normal tables
    [InlineData(0.8, 0.8416212335729143)]
    [InlineData(0.995, 2.5758293035489004)]
    [InlineData(0.5, 0.0)]
    public void NormalQuantileMatchesTheTables(double probability, double expected) => Assert.Equal(expected, Normal.Quantile(probability), 10);

    [Fact]
    public void NormalCdfMatchesTheTables()
    {
        Assert.Equal(0.8413447460685429, Normal.Cdf(1), 12);
        Assert.Equal(0.022750131948179195, Normal.Cdf(-2), 12);
        Assert.Equal(2.866515718791939e-7, Normal.UpperTail(5), 1e-20);
    }

    [Fact]
    public void HajekWithEqualProbabilitiesIsTheSimpleDifference()
    {
        double[] treated = [1, 0, 1, 1], control = [0, 0, 1, 0, 0];
        var units = treated.Select(y => new WeightedUnit(y, true, 2)).Concat(control.Select(y => new WeightedUnit(y, false, 2))).ToArray();
        Assert.Equal(0.75 - 0.2, Weighted.Hajek(units).Value, 12);
    }

    [Fact]
    public void HajekReweightsUnitsByTheirInverseProbability()
    {
        // Stratum A: p = 0.5 (weights 2, 2); stratum B: p = 0.25 (winner weight 4, loser weight 4/3).
        // Winners: A y=1 (w 2), B y=0 (w 4) → mean 2/6; losers: A y=0 (w 2), B y=1 (w 4/3) → mean (4/3)/(10/3) = 0.4.
        var units = new[]
        {
            new WeightedUnit(1, true, Weighted.InverseProbabilityWeight(true, 0.5)),
            new WeightedUnit(0, true, Weighted.InverseProbabilityWeight(true, 0.25)),
            new WeightedUnit(0, false, Weighted.InverseProbabilityWeight(false, 0.5)),
            new WeightedUnit(1, false, Weighted.InverseProbabilityWeight(false, 0.25)),
        };
        Assert.Equal((2.0 / 6) - 0.4, Weighted.Hajek(units).Value, 12);
    }

    [Fact]
    public void CaceScalesTheIttByTheComplierShareAndComplierMeansDifferByIt()
    {
        // Winners: half take the subsidy (y = 1, 1, 0, 0 among takers / refusers); losers never get it.
        var units = new List<ComplianceUnit>
        {
            new(1, true, true, 1), new(1, true, true, 1), new(0, true, false, 1), new(0, true, false, 1),
            new(0, false, false, 1), new(1, false, false, 1), new(0, false, false, 1), new(0, false, false, 1),
        };
        var cace = NonCompliance.Cace(units)!;
        var means = NonCompliance.Means(units)!;
        Assert.Equal((0.5 - 0.25) / 0.5, cace.Value, 12);
        Assert.Equal(0.5, means.ComplierShare, 12);
        Assert.Equal(1.0, means.Treated, 12);
        Assert.Equal(means.Treated - means.Untreated, cace.Value, 12);
        Assert.True(cace.Se > 0 && cace.Ci.Lower < cace.Value && cace.Value < cace.Ci.Upper);
    }

    [Fact]
    public void CaceIsNotReportedWhenTheOfferHardlyChangesReceipt()
    {
        // 3% compliers: a 1-point ITT would become a 33-point "effect"; too weak an instrument to report.
        var units = Enumerable.Range(0, 200).Select(i => new ComplianceUnit(i % 10 == 0 ? 1 : 0, i < 100, i < 3 || i >= 100 && i < 100, 1)).ToList();
        Assert.Null(NonCompliance.Cace(units));
        Assert.Null(NonCompliance.Means(units));
    }

    [Fact]
    public void CaceIsUndefinedWhenAssignmentDoesNotChangeReceipt()
    {
        var units = new[] { new ComplianceUnit(1, true, true, 1), new ComplianceUnit(0, false, true, 1) };
        Assert.Null(NonCompliance.Cace(units));
        Assert.Null(NonCompliance.Means(units));
    }

    [Fact]
    public void LeeBoundsForABinaryOutcomeFollowTheClosedForm()
    {
        // Treatment: 80 of 100 assigned answer, 48 went ahead (p = 0.6); control: 64 of 100 answer, 16 went ahead.
        var treatment = Enumerable.Range(0, 80).Select(i => (i < 48 ? 1.0 : 0.0, 1.0)).ToArray();
        var control = Enumerable.Range(0, 64).Select(i => (i < 16 ? 1.0 : 0.0, 1.0)).ToArray();
        var bounds = LeeBounds.Estimate(treatment, control, 0.80, 0.64)!;
        var q = (0.80 - 0.64) / 0.80;
        Assert.Equal(0.2, bounds.TrimmedShare, 12);
        Assert.Equal("treatment", bounds.TrimmedArm);
        Assert.Equal(Math.Max(0, (0.6 - q) / (1 - q)) - 0.25, bounds.Lower, 12);
        Assert.Equal(Math.Min(1, 0.6 / (1 - q)) - 0.25, bounds.Upper, 12);
    }

    [Fact]
    public void LeeBoundsCollapseToTheDifferenceWithoutDifferentialAttrition()
    {
        var treatment = new[] { (1.0, 1.0), (0.0, 1.0), (1.0, 1.0) };
        var control = new[] { (0.0, 1.0), (1.0, 1.0), (0.0, 1.0) };
        var bounds = LeeBounds.Estimate(treatment, control, 0.75, 0.75)!;
        Assert.Equal((2.0 / 3) - (1.0 / 3), bounds.Lower, 12);
        Assert.Equal(bounds.Lower, bounds.Upper, 12);
    }

    [Fact]
    public void LeeBoundsTrimTheControlArmWhenItAnswersMoreOften()
    {
        // Control answers 90%, treatment 60%: q = 1/3 of the control respondents is trimmed.
        var treatment = new[] { (1.0, 1.0), (1.0, 1.0), (0.0, 1.0) };
        var control = Enumerable.Range(0, 6).Select(i => (i < 3 ? 1.0 : 0.0, 1.0)).ToArray();
        var bounds = LeeBounds.Estimate(treatment, control, 0.6, 0.9)!;
        Assert.Equal("control", bounds.TrimmedArm);
        Assert.Equal((2.0 / 3) - (3.0 / 4), bounds.Lower, 12);  // control trimmed of two zeros: 3/4
        Assert.Equal((2.0 / 3) - (1.0 / 4), bounds.Upper, 12);  // control trimmed of two ones: 1/4
    }

    [Fact]
    public void NormalisedDifferenceIsTheMeanGapInPooledStandardDeviations()
    {
        double[] treated = [1, 2, 3], control = [2, 3, 4]; // variances 1 and 1
        Assert.Equal(-1.0, Balance.NormalisedDifference(treated, control), 12);
        var weighted = Balance.WeightedNormalisedDifference(treated.Select(v => (v, 1.0)).ToArray(), control.Select(v => (v, 1.0)).ToArray());
        Assert.Equal(-1 / Math.Sqrt(2.0 / 3), weighted, 12); // population variances 2/3
    }

    [Fact]
    public void MinimumDetectableEffectAndPowerAgree()
    {
        var mde = Power.MinimumDetectableEffect(150, 150, 0.5)!.Value;
        Assert.Equal((1.959963984540054 + 0.8416212335729143) * Math.Sqrt(0.25 * (2.0 / 150)), mde, 10);
        Assert.Equal(0.8, Power.PowerFor(mde, 150, 150, 0.5), 6);
        Assert.Null(Power.MinimumDetectableEffect(150, 0));
    }

    [Fact]
    public void APlannedRoundHasAsManyWinnersAsTheBudgetPays()
    {
        // ESF-E-like: €7m ceiling, €60k average request, 265 in the pool, a third go ahead anyway, 80% answer.
        var plan = Power.Plan(265, 7_000_000m, 60_000m, 1.0 / 3, 0.8);
        Assert.Equal(116, plan.Winners);
        Assert.Equal(149, plan.Losers);
        Assert.Equal(92, plan.RespondingWinners);
        Assert.Equal(119, plan.RespondingLosers);
        Assert.Equal(Power.MinimumDetectableEffect(92, 119, 1.0 / 3), plan.Mde);
        Assert.Throws<ArgumentOutOfRangeException>(() => Power.Plan(10, 1m, 0m, 0.3));
    }

    [Fact]
    public void BlockedRandomisationInferenceEqualsBruteForceOverEveryWithinStratumAssignment()
    {
        // Stratum A: 8 units, 3 winners; stratum B: 6 units, 2 winners → 56 × 15 = 840 assignments.
        double[] ya = [1, 0, 1, 1, 0, 0, 1, 0], yb = [1, 1, 0, 0, 0, 1];
        bool[] aa = [true, true, true, false, false, false, false, false], ab = [true, true, false, false, false, false];
        var strata = new[] { Zip(ya, aa), Zip(yb, ab) };

        var ri = RandomisationInference.Blocked(strata);

        double Statistic(bool[] a1, bool[] b1) =>
            ((8 / 14.0) * (Mean(ya, a1, true) - Mean(ya, a1, false))) + ((6 / 14.0) * (Mean(yb, b1, true) - Mean(yb, b1, false)));
        var observed = Math.Abs(Statistic(aa, ab));
        var all = (from a1 in Assignments(8, 3) from b1 in Assignments(6, 2) select Math.Abs(Statistic(a1, b1))).ToArray();
        Assert.Equal(840, all.Length);
        Assert.True(ri.Exact);
        Assert.Equal(all.Count(s => s >= observed - 1e-9) / 840.0, ri.P, 12);

        // The same outcomes shifted off 0/1 take the enumeration route instead of the hypergeometric one.
        var shifted = RandomisationInference.Blocked([Zip(ya.Select(y => y + 0.5).ToArray(), aa), Zip(yb.Select(y => y + 0.5).ToArray(), ab)]);
        Assert.Equal(ri.P, shifted.P, 12);
    }

    [Fact]
    public void MonteCarloBlockedInferenceIsCloseToExact()
    {
        var random = new Random(7);
        var strata = Enumerable.Range(0, 3).Select(_ =>
            (IReadOnlyList<(double, bool)>)Enumerable.Range(0, 30).Select(i => ((double)(random.NextDouble() < 0.4 + (i % 2 * 0.2) ? 1 : 0), i % 2 == 0)).ToArray()).ToArray();
        var exact = RandomisationInference.Blocked(strata);
        var sampled = RandomisationInference.Blocked(strata, maxExact: 0, draws: 20_000);
        Assert.True(exact.Exact);
        Assert.False(sampled.Exact);
        Assert.True(Math.Abs(sampled.P - exact.P) < (4 * sampled.McSe) + 1e-9, $"MC {sampled.P} ± {sampled.McSe}, exact {exact.P}");
    }

    [Fact]
    public void AWeightedShareWithEqualWeightsIsWilsonsInterval()
    {
        var plain = Proportions.Wilson(22, 50);
        var (p, effective, ci) = Proportions.WeightedWilson([.. Enumerable.Range(0, 50).Select(i => (i < 22 ? 1.0 : 0.0, 2.5))]);
        Assert.Equal((plain.P, 50.0), (p, effective));
        Assert.Equal(plain.Ci.Lower, ci.Lower, 12);
        Assert.Equal(plain.Ci.Upper, ci.Upper, 12);
    }

    [Fact]
    public void AWeightedShareStandsForThePoolAndItsIntervalUsesTheEffectiveSampleSize()
    {
        // Two strata of losers: 10 from a stratum drawn with p = 0.5 (weight 2), all went ahead; 10 from one drawn with
        // p = 0.9 (weight 10), none did. Weighted share 20/120 = 1/6; Kish n_eff = 120²/(10·4 + 10·100) = 13.846.
        var units = Enumerable.Range(0, 10).Select(_ => (1.0, 2.0)).Concat(Enumerable.Range(0, 10).Select(_ => (0.0, 10.0))).ToArray();
        var (p, effective, ci) = Proportions.WeightedWilson(units);
        Assert.Equal(1 / 6.0, p, 12);
        Assert.Equal(14_400 / 1_040.0, effective, 12);
        var (n, x, z) = (effective, effective / 6, Proportions.Z95);
        var centre = (x + (z * z / 2)) / (n + (z * z));
        var half = z * Math.Sqrt((x * (n - x) / n) + (z * z / 4)) / (n + (z * z));
        Assert.Equal(centre - half, ci.Lower, 12);
        Assert.Equal(centre + half, ci.Upper, 12);
    }

    private static (double, bool)[] Zip(double[] y, bool[] a) => y.Zip(a).ToArray();

    private static double Mean(double[] y, bool[] a, bool arm) => y.Where((_, i) => a[i] == arm).Average();

    private static IEnumerable<bool[]> Assignments(int n, int k) =>
        Enumerable.Range(0, 1 << n).Where(m => System.Numerics.BitOperations.PopCount((uint)m) == k)
            .Select(m => Enumerable.Range(0, n).Select(i => (m >> i & 1) == 1).ToArray());
}

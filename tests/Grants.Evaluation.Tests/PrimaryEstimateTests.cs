using System.Net;
using System.Text;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Estimators;
using Grants.Evaluation.Reporting;

namespace Grants.Evaluation.Tests;

/// <summary>
/// The estimate a reader sees first is the one the design justifies. A round of 640 units in four strata
/// of 160 drawn with chances 0.15, 0.40, 0.60 and 0.90, whose projects go ahead anyway 20%, 35%, 50% and
/// 70% of the time; the subsidy makes a further 30% of the others go ahead. True effect of the offer:
/// 0.3 × (1 − 0.4375) = 0.16875; true deadweight of the pool: 0.4375. Winners come mostly from the strata
/// where projects go ahead anyway, so the unadjusted difference is far too large and the unweighted share
/// of losers far too small.
/// </summary>
public sealed class PrimaryEstimateTests(ITestOutputHelper output)
{
    public const double TrueEffect = 0.16875;
    public const double TrueDeadweight = 0.4375;

    private static readonly (int Size, int Winners, double Baseline)[] Strata = [(160, 24, 0.2), (160, 64, 0.35), (160, 96, 0.5), (160, 144, 0.7)];

    [Fact]
    public void TheReportConsoleAndHtmlLeadWithTheBlockedEstimateAndTheWeightedDeadweight()
    {
        var report = ReportBuilder.Build(Simulate(new Random(19), effect: 0.3), new EvaluationDesign { OutcomeFamily = ["realised"] }, new string('0', 64));
        var entry = Assert.Single(report.Outcomes);
        ReportTests.AssertValid(report);

        Assert.Equal(Chances.ByStratum, report.Chances.Pattern);
        Assert.Equal("blocked", entry.Primary.Estimator);
        Assert.Equal(entry.Blocked!.Estimate, entry.Primary.Estimate);
        Assert.Equal(entry.Blocked.Ci, entry.Primary.Ci);
        Assert.Contains("not within them", entry.Primary.Reason, StringComparison.Ordinal);
        Assert.Equal(entry.RiP, entry.Primary.Test.P);
        Assert.StartsWith("Randomisation inference", entry.Primary.Test.Method, StringComparison.Ordinal);
        output.WriteLine($"primary {entry.Primary.Estimate:0.000}, unadjusted {entry.Difference.Estimate:0.000}, hajek {entry.Hajek!.Estimate:0.000}");
        Assert.True(Math.Abs(entry.Primary.Estimate!.Value - TrueEffect) < 3 * entry.Primary.Se!.Value, "the blocked estimate is within three standard errors of the truth");
        Assert.True(entry.Difference.Estimate!.Value - TrueEffect > 0.12, "the unadjusted difference is far off, which is why it is not the headline");

        var deadweight = Assert.Single(report.ExperimentalDeadweight);
        Assert.Equal(Proportions.WeightedWilsonMethod, deadweight.Method);
        output.WriteLine($"deadweight weighted {deadweight.Estimate:0.000}, unweighted {deadweight.Unweighted:0.000}");
        Assert.True(Math.Abs(deadweight.Estimate!.Value - TrueDeadweight) < 0.06, "the weighted share stands for the pool");
        Assert.True(TrueDeadweight - deadweight.Unweighted!.Value > 0.06, "the unweighted share of losers is tilted towards the low-baseline strata");

        var headline = ReportSummary.Lines(report).ToArray();
        var percent = HtmlReport.Percent(deadweight.Estimate);
        var effect = $"by {(entry.Primary.Estimate.Value * 100).ToString("+0.0", System.Globalization.CultureInfo.InvariantCulture)} points";
        var unadjusted = $"by {(entry.Difference.Estimate.Value * 100).ToString("+0.0", System.Globalization.CultureInfo.InvariantCulture)} points";
        Assert.Contains(headline, l => l.Contains($"{percent} went ahead without the subsidy", StringComparison.Ordinal));
        Assert.Contains(headline, l => l.Contains(effect, StringComparison.Ordinal) && l.Contains("randomisation inference: the lottery re-drawn as it was drawn", StringComparison.Ordinal));
        Assert.DoesNotContain(headline, l => l.Contains(unadjusted, StringComparison.Ordinal));

        var html = HtmlReport.Render(report);
        var findings = html[html.IndexOf("<h2>Main findings</h2>", StringComparison.Ordinal)..html.IndexOf("<h2>Deadweight", StringComparison.Ordinal)];
        Assert.Contains($"{percent} went ahead without the subsidy", WebUtility.HtmlDecode(findings), StringComparison.Ordinal);
        Assert.Contains(effect, findings, StringComparison.Ordinal);
        Assert.DoesNotContain(unadjusted, findings, StringComparison.Ordinal);
        Assert.Contains("it is not the estimate to read", findings, StringComparison.Ordinal);
    }

    [Fact]
    public void EqualChancesLeadWithThePlainDifferenceAndFishersTest()
    {
        var csv = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\nA,R,a,0.5,1,1,1,1\nB,R,a,0.5,0,0,1,0\nC,R,b,0.5,1,1,1,1\nD,R,b,0.5,0,0,1,1\nE,R,b,0.5,1,1,1,0\nF,R,a,0.5,0,0,1,0\n";
        var entry = Assert.Single(ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(csv), new EvaluationDesign { OutcomeFamily = ["realised"] })).Outcomes);
        Assert.Equal(("difference", entry.Difference.Estimate, entry.FisherP), (entry.Primary.Estimator, entry.Primary.Estimate, entry.Primary.Test.P));
        Assert.Equal(FisherExact.Method, entry.Primary.Test.Method);
    }

    [Fact]
    public void ChancesThatDifferWithinAStratumLeadWithHajek()
    {
        var csv = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\nA,R,s,0.75,1,1,1,1\nB,R,s,0.75,0,0,1,0\nC,R,s,0.25,1,1,1,1\nD,R,s,0.25,0,0,1,1\n";
        var report = ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(csv), new EvaluationDesign { OutcomeFamily = ["realised"] }));
        var entry = Assert.Single(report.Outcomes);
        Assert.Equal((Chances.WithinStratum, "hajek"), (report.Chances.Pattern, entry.Primary.Estimator));
        Assert.Equal(entry.Hajek!.Estimate, entry.Primary.Estimate);
        Assert.Contains("between applicants (0.25 to 0.75)", entry.Primary.Reason, StringComparison.Ordinal);
        Assert.Contains("approximation", entry.Primary.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ATwoUnitStratumKeepsTheBlockedEstimateAndSaysHowItsVarianceWasTaken()
    {
        // Stratum "tiny" has one winner and one loser who answered; the others have several of each.
        var rows = new StringBuilder("unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\n");
        var values = new (string Stratum, double P, int Assigned, int Y)[]
        {
            ("big", 0.5, 1, 1), ("big", 0.5, 1, 1), ("big", 0.5, 1, 0), ("big", 0.5, 0, 0), ("big", 0.5, 0, 1), ("big", 0.5, 0, 0),
            ("tiny", 0.25, 1, 1), ("tiny", 0.25, 0, 0),
        };
        for (var i = 0; i < values.Length; i++)
        {
            rows.Append($"U{i},R,{values[i].Stratum},{values[i].P},{values[i].Assigned},{values[i].Assigned},1,{values[i].Y}\n");
        }

        var entry = Assert.Single(ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(rows.ToString()), new EvaluationDesign { OutcomeFamily = ["realised"] })).Outcomes);
        // Block weights 6/8 and 2/8: 0.75·(2/3 − 1/3) + 0.25·(1 − 0) = 0.5.
        Assert.Equal(0.5, entry.Blocked!.Estimate!.Value, 12);
        Assert.Equal("blocked", entry.Primary.Estimator);
        // Variance: big arms (1/3)/3 each; tiny borrows the variance of {1, 0} = 0.5 for each arm of one.
        var variance = (0.75 * 0.75 * ((1 / 3.0 / 3) + (1 / 3.0 / 3))) + (0.25 * 0.25 * (0.5 + 0.5));
        Assert.Equal(Math.Sqrt(variance), entry.Blocked.Se!.Value, 12);
        Assert.Contains("stratum tiny one arm has a single unit", entry.Blocked.Note, StringComparison.Ordinal);
        Assert.Contains(entry.Blocked.Note!, entry.Primary.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AStratumWithOneArmOnlyFallsBackToHajekAndSaysWhy()
    {
        var csv = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\nA,R,a,0.5,1,1,1,1\nB,R,a,0.5,0,0,1,0\nC,R,a,0.5,1,1,1,0\nD,R,a,0.5,0,0,1,1\nE,R,b,0.25,1,1,1,1\nF,R,b,0.25,0,0,0,\n";
        var report = ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(csv), new EvaluationDesign { OutcomeFamily = ["realised"] }));
        var entry = Assert.Single(report.Outcomes);
        Assert.Null(entry.Blocked!.Estimate);
        Assert.Contains("Stratum b has respondents in one arm only", entry.Blocked.Note, StringComparison.Ordinal);
        Assert.Equal(("hajek", entry.Hajek!.Estimate), (entry.Primary.Estimator, entry.Primary.Estimate));
        Assert.Contains("Stratum b has respondents in one arm only", entry.Primary.Reason, StringComparison.Ordinal);
        Assert.Contains("Stratum b has respondents in one arm only", HtmlReport.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void WithDeclinesAndCrossoversDeadweightIsTheUntreatedComplierMean()
    {
        var entry = ReportTests.SampleReport.Outcomes.Single(o => o.Wave == 1 && o.Outcome == "realised");
        var deadweight = ReportTests.SampleReport.ExperimentalDeadweight.Single(d => d.Wave == 1);
        Assert.Equal(ReportBuilder.ComplierDeadweightMethod, deadweight.Method);
        Assert.Equal(entry.ComplierMeans!.Untreated!.Value, deadweight.Estimate!.Value, 12);
    }

    /// <summary>A round as <see cref="Strata"/> describes it; every loser and winner answers with probability 0.85; full compliance.</summary>
    public static EvaluationDataset Simulate(Random random, double effect)
    {
        var (strata, p, assigned, y, responded) = (new List<string>(), new List<double>(), new List<bool>(), new List<double>(), new List<bool>());
        for (var s = 0; s < Strata.Length; s++)
        {
            var (size, winners, baseline) = Strata[s];
            var order = Enumerable.Range(0, size).OrderBy(_ => random.Next()).ToArray();
            for (var i = 0; i < size; i++)
            {
                var won = order[i] < winners;
                var withoutSubsidy = random.NextDouble() < baseline;
                var withSubsidy = withoutSubsidy || random.NextDouble() < effect;
                var answered = random.NextDouble() < 0.85;
                strata.Add($"s{s + 1}");
                p.Add(winners / (double)size);
                assigned.Add(won);
                responded.Add(answered);
                y.Add(!answered ? double.NaN : (won ? withSubsidy : withoutSubsidy) ? 1 : 0);
            }
        }

        return new EvaluationDataset
        {
            UnitIds = [.. Enumerable.Range(0, p.Count).Select(i => $"U{i}")],
            RoundIds = [.. p.Select(_ => "R")],
            Strata = [.. strata],
            PAssign = [.. p],
            Assigned = [.. assigned],
            Treated = [.. assigned],
            NumericCovariates = new Dictionary<string, double[]>(),
            CategoricalCovariates = new Dictionary<string, string[]>(),
            Waves = [new Wave { Number = 1, Responded = [.. responded], Outcomes = [new OutcomeColumn { Name = "realised", Binary = true, Values = [.. y] }] }],
        };
    }
}

using System.Text.Json.Nodes;
using Grants.Evaluation.Reporting;

namespace Grants.Evaluation.Tests;

/// <summary>
/// The report of the sample round against numbers computed from the same units.csv by independent
/// implementations: R 4.2 with estimatr 1.0.0 (difference_in_means with blocks, lm_robust and
/// iv_robust with HC2 and the lottery weights), fisher.test, p.adjust("holm") and t.test, and Python
/// with SciPy 1.10 and statsmodels 0.13 (Wilson intervals, complier means, Lee trimming by sorting,
/// exact hypergeometric randomisation inference, normalised differences). The tools are not test
/// dependencies; their results are kept in Data/small-round/reference.json.
/// </summary>
public sealed class IndependentImplementationTests
{
    private const double Tolerance = 1e-9;

    private static readonly JsonObject Reference = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "small-round", "reference.json")))!.AsObject();

    public static TheoryData<int, string> Outcomes() =>
        new(ReportTests.SampleReport.Outcomes.Select(o => (o.Wave, o.Outcome)).ToArray());

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void EveryEstimateMatches(int wave, string outcome)
    {
        var entry = ReportTests.SampleReport.Outcomes.Single(o => o.Wave == wave && o.Outcome == outcome);
        var key = $"w{wave}.{outcome}";
        var compared = 0;
        void Check(string name, double? actual)
        {
            Assert.True(actual is not null, $"{key}.{name} is null in the report");
            Assert.True(Math.Abs(Value($"{key}.{name}") - actual!.Value) <= Tolerance, $"{key}.{name}: reference {Value($"{key}.{name}")}, report {actual}");
            compared++;
        }

        Check("treat.n", entry.Treatment.N);
        Check("control.n", entry.Control.N);
        if (entry.Kind == "binary")
        {
            Check("treat.x", entry.Treatment.X);
            Check("treat.p", entry.Treatment.P);
            Check("treat.wilsonLow", entry.Treatment.Ci!.Lower);
            Check("treat.wilsonHigh", entry.Treatment.Ci!.Upper);
            Check("control.x", entry.Control.X);
            Check("control.p", entry.Control.P);
            Check("control.wilsonLow", entry.Control.Ci!.Lower);
            Check("control.wilsonHigh", entry.Control.Ci!.Upper);
            Check("newcombe.diff", entry.Difference.Estimate);
            Check("newcombe.low", entry.Difference.Ci.Lower);
            Check("newcombe.high", entry.Difference.Ci.Upper);
            Check("fisherP", entry.FisherP);
            Check("holmP", entry.HolmP);
        }
        else
        {
            Check("treat.mean", entry.Treatment.P);
            Check("control.mean", entry.Control.P);
            Check("welch.df", entry.Difference.Df);
            Check("welch.ciLow", entry.Difference.Ci.Lower);
            Check("welch.ciHigh", entry.Difference.Ci.Upper);
            Check("welch.p", entry.WelchP);
        }

        foreach (var (prefix, estimate) in new[] { ("blocked", entry.Blocked), ("ols", entry.Hajek), ("iv", entry.Cace) })
        {
            Check($"{prefix}.estimate", estimate!.Estimate);
            Check($"{prefix}.se", estimate.Se);
            Check($"{prefix}.df", estimate.Df);
            Check($"{prefix}.ciLow", estimate.Ci.Lower);
            Check($"{prefix}.ciHigh", estimate.Ci.Upper);
        }

        Check("complier.share", entry.ComplierMeans!.ComplierShare);
        Check("complier.treatedMean", entry.ComplierMeans.Treated);
        Check("complier.untreatedMean", entry.ComplierMeans.Untreated);
        Check("lee.lower", entry.Lee!.Lower);
        Check("lee.upper", entry.Lee.Upper);
        Check("lee.trimShare", entry.Lee.TrimmedShare);
        Assert.Equal(Reference[$"{key}.lee.trimmedArm"]!.GetValue<string>(), entry.Lee.TrimmedArm);
        Assert.True(compared >= 25, $"{compared} values compared");
    }

    [Fact]
    public void ExactBlockedRandomisationInferenceMatches()
    {
        var entry = ReportTests.SampleReport.Outcomes.Single(o => o.Wave == 1 && o.Outcome == "realised");
        Assert.True(entry.RiExact);
        Assert.Equal(Value("w1.realised.ri.exactP"), entry.RiP!.Value, 1e-12);
        Assert.Equal(Value("w1.realised.ri.observedStatistic"), entry.Blocked!.Estimate!.Value, 1e-12);
    }

    [Fact]
    public void BalanceAndSelfReportedDeadweightMatch()
    {
        foreach (var row in ReportTests.SampleReport.Balance.Rows)
        {
            Assert.Equal(Value($"balance.{row.Covariate}.unweighted"), row.NormalisedDifference!.Value, Tolerance);
            Assert.Equal(Value($"balance.{row.Covariate}.weighted"), row.WeightedNormalisedDifference!.Value, Tolerance);
        }

        Assert.Equal(10, ReportTests.SampleReport.Balance.Rows.Count);
        foreach (var self in ReportTests.SampleReport.SelfReportedDeadweight)
        {
            Assert.Equal(Value($"w{self.Wave}.selfDeadweight.x"), self.X);
            Assert.Equal(Value($"w{self.Wave}.selfDeadweight.n"), self.N);
            Assert.Equal(Value($"w{self.Wave}.selfDeadweight.wilsonLow"), self.Ci!.Lower!.Value, Tolerance);
            Assert.Equal(Value($"w{self.Wave}.selfDeadweight.wilsonHigh"), self.Ci.Upper!.Value, Tolerance);
        }
    }

    private static double Value(string key) =>
        Reference[key] is JsonValue value ? value.GetValue<double>() : throw new KeyNotFoundException($"no reference value {key}");
}

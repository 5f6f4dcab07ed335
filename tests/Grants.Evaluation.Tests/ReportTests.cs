using System.Text;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Estimators;
using Grants.Evaluation.Reporting;
using Grants.Tests;

namespace Grants.Evaluation.Tests;

/// <summary>The report of the sample round: its shape follows the published schema and its counts add up.</summary>
public sealed class ReportTests
{
    public static EvaluationReport SampleReport { get; } = ReportBuilder.Build(EvaluationInput.Load(Path.Combine(AppContext.BaseDirectory, "Data", "small-round")));

    private static readonly Lazy<Json.Schema.JsonSchema> Schema = new(() => Json.Schema.JsonSchema.FromText(
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "contracts", "schemas", "evaluation-report.schema.json")),
        new Json.Schema.BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() }));

    [Fact]
    public void TheReportValidatesAgainstThePublishedSchema() => AssertValid(SampleReport);

    internal static void AssertValid(EvaluationReport report)
    {
        var json = ReportJson.Serialize(report);
        var result = Schema.Value.Evaluate(System.Text.Json.JsonDocument.Parse(json).RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void TheReportRoundTripsThroughJson()
    {
        var json = ReportJson.Serialize(SampleReport);
        Assert.Equal(json, ReportJson.Serialize(ReportJson.Deserialize(json)));
    }

    [Fact]
    public void TheSameInputGivesTheSameReport() =>
        Assert.Equal(ReportJson.Serialize(SampleReport), ReportJson.Serialize(ReportBuilder.Build(EvaluationInput.Load(Path.Combine(AppContext.BaseDirectory, "Data", "small-round")))));

    [Fact]
    public void ConsortCountsMatchTheFileAndAddUp()
    {
        // Counted from units.csv with awk: 50 assigned (37 received), 70 not assigned (2 crossovers).
        var consort = SampleReport.Consort;
        Assert.Equal(120, consort.Pool);
        Assert.Equal(new ConsortArm(50, 37, 13), consort.Treatment);
        Assert.Equal(new ConsortArm(70, 2, 68), consort.Control);
        Assert.Equal([new ConsortStratum("north", 60, 30), new ConsortStratum("south", 60, 20)], consort.Strata);
        foreach (var wave in consort.Waves)
        {
            Assert.Equal(wave.Treatment.Allocated, wave.Treatment.Responded + wave.Treatment.Lost);
            Assert.Equal(wave.Control.Allocated, wave.Control.Responded + wave.Control.Lost);
            Assert.True(wave.Treatment.Analysed <= wave.Treatment.Responded);
        }

        var attrition = SampleReport.Attrition.Single(a => a.Wave == 1);
        Assert.Equal(consort.Waves[0].Treatment.Responded, attrition.Treatment.Responded);
        Assert.Equal(attrition.Treatment.Rate - attrition.Control.Rate, attrition.Differential);
    }

    [Fact]
    public void EveryOutcomeOfEveryWaveIsReportedWithItsMethods()
    {
        Assert.Equal(11, SampleReport.Outcomes.Count); // 5 survey outcomes × 2 waves + money spent in wave 2
        Assert.DoesNotContain(SampleReport.Outcomes, o => o.Outcome == UnitColumns.SelfDeadweight);
        Assert.All(SampleReport.Outcomes, o => Assert.All(["arms", "riP", "holmP"], m => Assert.False(string.IsNullOrWhiteSpace(o.Methods[m]))));
        var spend = SampleReport.Outcomes.Single(o => o.Outcome == "spend");
        Assert.Equal("continuous", spend.Kind);
        Assert.Null(spend.FisherP);
        Assert.NotNull(spend.WelchP);
        Assert.Null(spend.HolmP); // not in the declared family
    }

    [Fact]
    public void HolmAdjustsEachWaveFamilySeparately()
    {
        foreach (var wave in SampleReport.Outcomes.Where(o => o.InFamily).GroupBy(o => o.Wave))
        {
            var family = wave.ToArray();
            var adjusted = Multiplicity.Holm(family.Select(o => o.FisherP!.Value).ToArray());
            Assert.Equal(adjusted, family.Select(o => o.HolmP!.Value));
        }
    }

    [Fact]
    public void TheDeclaredAlphaSetsTheLevelOfEveryInterval()
    {
        var input = EvaluationInput.Load(Path.Combine(AppContext.BaseDirectory, "Data", "small-round"));
        var report = ReportBuilder.Build(input with { Design = new EvaluationDesign { Alpha = 0.10 } });
        var wide = SampleReport.Outcomes[0];
        var narrow = report.Outcomes[0];

        // Wilson 22/50 at 90% (z = 1.6449), computed by hand from the score formula.
        Assert.Equal(0.3305722877522369, narrow.Control.Ci!.Lower!.Value, 12);
        Assert.Equal(0.5555876945421155, narrow.Control.Ci.Upper!.Value, 12);
        // Same estimate and SE; the t interval shrinks by t(0.95, 92) / t(0.975, 92).
        Assert.Equal(wide.Hajek!.Se, narrow.Hajek!.Se);
        var ratio = StudentT.Quantile(0.95, 92) / StudentT.Quantile(0.975, 92);
        Assert.Equal((wide.Hajek.Ci.Upper - wide.Hajek.Ci.Lower)!.Value * ratio, (narrow.Hajek.Ci.Upper - narrow.Hajek.Ci.Lower)!.Value, 12);
        Assert.True(narrow.Difference.Ci.Upper < wide.Difference.Ci.Upper && narrow.Cace!.Ci.Upper < wide.Cace!.Ci.Upper);
        Assert.Contains("with 90% confidence it lies", HtmlReport.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void ADesignNamingAnOutcomeTheDataLacksIsRefused()
    {
        var input = EvaluationInput.Load(Path.Combine(AppContext.BaseDirectory, "Data", "small-round"));
        var error = Assert.Throws<DatasetException>(() => ReportBuilder.Build(input with { Design = new EvaluationDesign { OutcomeFamily = ["realised", "turnover"], PrimaryWave = 3 } }));
        Assert.Contains(error.Problems, p => p.Contains("'turnover'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("primaryWave 3", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutADesignFileAMissingOutcomeIsBlamedOnTheDefaultsNotOnAFile()
    {
        var csv = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\nA,R,s,0.5,1,1,1,1\nB,R,s,0.5,0,0,1,0\n";
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "units.csv"), csv);
            var error = Assert.Throws<DatasetException>(() => ReportBuilder.Build(EvaluationInput.Load(directory.FullName)));
            Assert.All(error.Problems, p => Assert.StartsWith("the default analysis plan (there is no design.json):", p, StringComparison.Ordinal));
            Assert.Contains(error.Problems, p => p.Contains("'full'", StringComparison.Ordinal) && p.EndsWith("declare the outcome family in a design.json beside units.csv", StringComparison.Ordinal));

            File.WriteAllText(Path.Combine(directory.FullName, "design.json"), """{ "outcomeFamily": ["realised", "full"] }""");
            var declared = Assert.Throws<DatasetException>(() => ReportBuilder.Build(EvaluationInput.Load(directory.FullName)));
            Assert.Equal(["design.json: outcomeFamily names 'full', which is not an outcome column of units.csv"], declared.Problems);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void UnequalChancesWithinAStratumAreWeightedUnitByUnit()
    {
        // A budget-constrained draw: in one stratum the small request won with p = 0.75, the large one lost with p = 0.25.
        var csv = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\nA,R,s,0.75,1,1,1,1\nB,R,s,0.75,0,0,1,0\nC,R,s,0.25,1,1,1,1\nD,R,s,0.25,0,0,1,1\n";
        var report = ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(csv), new EvaluationDesign { OutcomeFamily = ["realised"] }));
        var hajek = Assert.Single(report.Outcomes).Hajek!;
        // Winners: A (w 4/3, y 1), C (w 4, y 1) → 1; losers: B (w 4, y 0), D (w 4/3, y 1) → (4/3)/(16/3) = 0.25.
        Assert.Equal(1 - 0.25, hajek.Estimate!.Value, 12);
    }

    [Fact]
    public void UnitsWhoseChanceWasZeroOrOneAreCountedButNotCompared()
    {
        // A budget-constrained draw: U-3 always fitted (p = 1); it is not part of the experiment.
        var csv = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\nU-1,R,s,0.5,1,1,1,1\nU-2,R,s,0.5,0,0,1,0\nU-3,R,s,1,1,1,1,1\nU-4,R,s,0.5,0,0,1,1\n";
        var report = ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(csv), new EvaluationDesign { OutcomeFamily = ["realised"] }));
        Assert.Equal((4, 1), (report.Consort.Pool, report.Consort.NotRandomised));
        Assert.Equal(3, report.Consort.Treatment.Allocated + report.Consort.Control.Allocated);
        var entry = Assert.Single(report.Outcomes);
        Assert.Equal((1, 1), (entry.Treatment.X, entry.Treatment.N));

        var nothingRandom = "unit_id,round_id,stratum,p_assign,assigned,treated\nU-1,R,s,1,1,1\nU-2,R,s,1,1,1\n";
        Assert.Contains("decided nothing", Assert.Throws<DatasetException>(() => ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(nothingRandom), new EvaluationDesign()))).Message);
    }

    [Fact]
    public void AnArmWithoutRespondentsGivesNullsNotErrors()
    {
        var csv = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised\nA,R,s,0.5,1,1,1,1\nB,R,s,0.5,1,1,1,0\nC,R,s,0.5,0,0,0,\n";
        var report = ReportBuilder.Build(EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(csv), new EvaluationDesign { OutcomeFamily = ["realised"] }));
        var entry = Assert.Single(report.Outcomes);
        Assert.Equal(0, entry.Control.N);
        Assert.Null(entry.Difference.Estimate);
        Assert.Null(entry.FisherP);
        Assert.Null(entry.Cace);
        Assert.Null(entry.RiP);
    }
}

using System.Security.Cryptography;
using System.Text;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Planning;
using Grants.Evaluation.Reporting;

namespace Grants.Evaluation.Tests;

/// <summary>The analysis plan's canonical form and hash, its record, and how an evaluation states whether it followed it.</summary>
public sealed class AnalysisPlanTests
{
    private static readonly EvaluationDesign Committed = new() { PrimaryWave = 2 };
    private static readonly DateTimeOffset Opened = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheCanonicalFormHasEveryFieldInOrdinalKeyOrderAndNoWhitespace()
    {
        const string expected = """{"alpha":0.05,"outcomeFamily":["realised","full","smaller","later","less_external"],"power":0.8,"primaryEstimator":"by-design","primaryOutcome":"realised","primaryWave":2,"randomisationDraws":10000,"seed":20080601}""";
        Assert.Equal(expected, Committed.CanonicalJson());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected))), Committed.Hash());
        // Formatting and key order of design.json do not matter; the values do.
        var reordered = EvaluationDesign.Parse("""{ "seed": 20080601, "primaryWave": 2,   "alpha": 0.050 }""");
        Assert.Equal(Committed.Hash(), reordered.Hash());
        Assert.NotEqual(Committed.Hash(), (Committed with { Alpha = 0.01 }).Hash());
        Assert.Throws<InvalidOperationException>(() => new EvaluationDesign().Hash());
    }

    [Theory]
    [InlineData("""{ "alpha": 0.0001 }""", "alpha")]
    [InlineData("""{ "primaryOutcome": "Realised" }""", "outcome 'Realised'")]
    [InlineData("""{ "primaryOutcome": "realised\n" }""", "outcome 'realised")]
    [InlineData("""{ "outcomeFamily": ["realised", "full\u00e9"] }""", "outcome 'fullé'")]
    [InlineData("""{ "primaryEstimator": "difference" }""", "primaryEstimator")]
    [InlineData("""{ "primaryWave": 0 }""", "primaryWave")]
    [InlineData("""{ "Alpha": 0.05 }""", "Alpha")]
    public void APlanOutsideWhatTheCanonicalFormCoversIsRefused(string json, string named) =>
        Assert.Contains(named, Assert.Throws<DatasetException>(() => EvaluationDesign.Parse(json)).Message, StringComparison.Ordinal);

    [Fact]
    public void TheRecordIsReadStrictlyAndEveryHashMustBeItsPlans()
    {
        var amended = Committed with { PrimaryOutcome = "full" };
        var record = new AnalysisPlanRecord(1, "R-1", Committed.Hash(), Opened, Committed, [new PlanAmendment(Opened.AddYears(1), "staff:abc", "Wave 2 was delayed.", amended.Hash(), amended)]);
        var read = AnalysisPlanRecord.Parse(record.ToJson());
        Assert.Equal(record.ToJson(), read.ToJson());
        Assert.Equal(amended.Hash(), read.InForce.Hash());

        var forged = record.ToJson().Replace(amended.Hash(), Committed.Hash(), StringComparison.Ordinal);
        Assert.Contains("amendment 1 has hash", Assert.Throws<DatasetException>(() => AnalysisPlanRecord.Parse(forged)).Message, StringComparison.Ordinal);
        Assert.Throws<DatasetException>(() => AnalysisPlanRecord.Parse(record.ToJson().Replace("\"roundId\"", "\"RoundId\"", StringComparison.Ordinal)));
        Assert.Throws<DatasetException>(() => AnalysisPlanRecord.Parse(record.ToJson().Replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"schemaVersion\": 1,", StringComparison.Ordinal)));
    }

    [Fact]
    public void AnEvaluationSaysWhetherItFollowsTheCommittedPlanAndHowItDeparts()
    {
        var amended = Committed with { PrimaryOutcome = "full" };
        var record = new AnalysisPlanRecord(1, "R-1", Committed.Hash(), Opened, Committed, [new PlanAmendment(Opened.AddYears(1), "staff:abc", "Wave 2 was delayed", amended.Hash(), amended)]);
        var commitment = PlanCommitment.Of(Committed.Hash(), record)!;

        var follows = PlanCheck.Of(Committed, commitment);
        Assert.True(follows.Matches);
        Assert.Empty(follows.Departures);
        Assert.StartsWith("This evaluation follows the analysis plan committed before the draw on 2026-03-01 09:00 UTC.", follows.Statement, StringComparison.Ordinal);

        var asAmended = PlanCheck.Of(amended, commitment);
        Assert.False(asAmended.Matches);
        Assert.Equal(["primaryOutcome: realised → full"], asAmended.Departures);
        Assert.Equal("staff:abc", asAmended.AmendedOn!.By);
        Assert.Contains("as amended on 2027-03-01 09:00 UTC by staff:abc, because: Wave 2 was delayed.", asAmended.Statement, StringComparison.Ordinal);

        var edited = PlanCheck.Of(Committed with { Alpha = 0.1, OutcomeFamily = ["realised"] }, commitment);
        Assert.False(edited.Matches);
        Assert.Null(edited.AmendedOn);
        Assert.Equal(["alpha: 0.05 → 0.1", "outcomeFamily: [realised, full, smaller, later, less_external] → [realised]"], edited.Departures);
        Assert.Contains("neither committed nor recorded as an amendment", edited.Statement, StringComparison.Ordinal);

        // A record that is not the plan the protocol committed to is refused, not believed.
        Assert.Throws<DatasetException>(() => PlanCheck.Of(Committed, new PlanCommitment(amended.Hash(), record)));
    }

    [Fact]
    public void TheReportAndItsHtmlSayPlainlyWhenTheyDepartFromTheCommittedPlan()
    {
        var input = EvaluationInput.Load(Path.Combine(AppContext.BaseDirectory, "Data", "small-round"));
        var plan = input.Design with { PrimaryWave = 1 };
        var record = new AnalysisPlanRecord(1, "R-1", plan.Hash(), Opened, plan, []);
        var matching = ReportBuilder.Build(input with { Commitment = PlanCommitment.Of(plan.Hash(), record) });
        Assert.True(matching.AnalysisPlan!.Matches);
        Assert.Equal(plan.Hash(), matching.AnalysisPlan.CommittedHash);

        var departing = ReportBuilder.Build(input with { Design = plan with { Seed = 7 }, Commitment = PlanCommitment.Of(plan.Hash(), record) });
        Assert.False(departing.AnalysisPlan!.Matches);
        ReportTests.AssertValid(departing);
        var html = HtmlReport.Render(departing);
        Assert.Contains("<strong>Not the committed plan.</strong>", html, StringComparison.Ordinal);
        Assert.Contains("seed: 20080601 → 7", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.StartsWith("Analysis plan — NOT the committed plan:", ReportSummary.Lines(departing).First(), StringComparison.Ordinal);
    }
}

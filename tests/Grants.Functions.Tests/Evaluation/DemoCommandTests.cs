using System.IO.Compression;
using System.Text.RegularExpressions;
using Grants.Cli.Commands;
using Grants.Domain.Lottery;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Planning;
using Grants.Evaluation.Reporting;
using MimeKit;

namespace Grants.Functions.Tests.Evaluation;

/// <summary>One run of <c>grants demo</c> (a small round, end to end on its own local system), shared by the tests that read what it left.</summary>
public sealed class DemoRun : IAsyncLifetime
{
    public string Output { get; } = Directory.CreateTempSubdirectory("grants-demo-").FullName;

    public string Log { get; private set; } = "";

    public int Exit { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var log = new StringWriter();
        Exit = await DemoCommand.RunAsync(applicants: 40, seed: 7, Output, log, TestContext.Current.CancellationToken);
        Log = log.ToString();
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Output, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// <c>grants demo</c> replays a (small) round end to end: the protocol it leaves verifies against the
/// announcements it leaves, the export re-runs to exactly the report it printed from, and its mail links to
/// the system that actually served the demo.
/// </summary>
public sealed partial class DemoCommandTests(DemoRun demo) : IClassFixture<DemoRun>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheDemoLeavesAVerifiableDrawAndAnExportThatReproducesItsReport()
    {
        Assert.True(demo.Exit == 0, demo.Log);
        Assert.Contains("40 organisations applied.", demo.Log, StringComparison.Ordinal);
        Assert.Contains("Experimental deadweight:", demo.Log, StringComparison.Ordinal);
        Assert.Contains("Evaluation, wave 2 (the primary wave)", demo.Log, StringComparison.Ordinal);
        Assert.Contains("Analysis plan: This evaluation follows the analysis plan committed before the draw on ", demo.Log, StringComparison.Ordinal);
        Assert.Contains("Follow-up wave 2 (24 months after the draw)", demo.Log, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(Path.Combine(demo.Output, "mail"), "*.eml").Count() > 40, "invitations went out as mail");

        var verify = new StringWriter();
        // The declines moved the reserve list up after the draw: the current version is a cut-off document extending the protocol.
        var cutoffs = Path.Combine(demo.Output, "lottery-cutoffs.json");
        Assert.True(File.Exists(cutoffs), demo.Log);
        Assert.Contains("grants lottery verify lottery-cutoffs.json --extends lottery-protocol.json --announcements lottery-announcements.json", demo.Log, StringComparison.Ordinal);
        var request = new VerifyRequest(cutoffs, Announcements: Path.Combine(demo.Output, "lottery-announcements.json"), Extends: Path.Combine(demo.Output, "lottery-protocol.json"));
        Assert.True(await LotteryCommand.VerifyAsync(request, verify, Ct) == 0, verify.ToString());
        Assert.Contains("Matches the announcements of round", verify.ToString(), StringComparison.Ordinal);

        var export = Path.Combine(demo.Output, "export");
        ZipFile.ExtractToDirectory(Path.Combine(demo.Output, "evaluation-export.zip"), export);
        var rerun = Path.Combine(demo.Output, "rerun.json");
        Assert.Equal(0, EvaluateCommand.Run(export, rerun, null, new StringWriter(), new StringWriter()));
        Assert.Equal(File.ReadAllText(Path.Combine(demo.Output, "report.json")), File.ReadAllText(rerun));
    }

    [Fact]
    public void TheDemosProtocolCommitsToThePlanItsExportHoldsAndAnEditedPlanIsCalledADeparture()
    {
        Assert.True(demo.Exit == 0, demo.Log);
        var export = Path.Combine(demo.Output, "plan-check");
        ZipFile.ExtractToDirectory(Path.Combine(demo.Output, "evaluation-export.zip"), export);
        var protocol = LotteryProtocol.FromJson(File.ReadAllText(Path.Combine(export, "lottery-protocol.json")));
        var record = AnalysisPlanRecord.Parse(File.ReadAllText(Path.Combine(export, AnalysisPlanRecord.FileName)));
        Assert.Equal(record.Hash, protocol.AnalysisPlanHash);
        Assert.Equal(2, record.Plan.PrimaryWave);
        Assert.Equal(record.Hash, EvaluationDesign.Parse(File.ReadAllText(Path.Combine(export, "design.json"))).Hash());
        Assert.Equal(protocol.AnalysisPlanHash, LotteryProtocol.FromJson(File.ReadAllText(Path.Combine(demo.Output, "lottery-protocol.json"))).AnalysisPlanHash);

        var rerun = Path.Combine(demo.Output, "plan-check.json");
        var stdout = new StringWriter();
        Assert.Equal(0, EvaluateCommand.Run(export, rerun, null, stdout, new StringWriter()));
        var check = ReportJson.Deserialize(File.ReadAllText(rerun)).AnalysisPlan!;
        Assert.True(check.Matches);
        Assert.Equal((record.Hash, record.Hash, record.CommittedAt), (check.Hash, check.CommittedHash, check.CommittedAt));

        // An evaluator who edits the plan still gets a report, which says plainly that and how it departs.
        File.WriteAllText(Path.Combine(export, "design.json"), (record.Plan with { PrimaryWave = 1, Alpha = 0.1 }).ToJson());
        var html = Path.Combine(demo.Output, "plan-check.html");
        stdout = new StringWriter();
        Assert.Equal(0, EvaluateCommand.Run(export, rerun, html, stdout, new StringWriter()));
        var departed = ReportJson.Deserialize(File.ReadAllText(rerun)).AnalysisPlan!;
        Assert.False(departed.Matches);
        Assert.Equal(["alpha: 0.05 → 0.1", "primaryWave: 2 → 1"], departed.Departures);
        Assert.Contains("Analysis plan — NOT the committed plan:", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("<strong>Not the committed plan.</strong>", File.ReadAllText(html), StringComparison.Ordinal);

        // A protocol whose commitment is not the recorded plan's makes the record unbelievable: refused.
        File.WriteAllText(Path.Combine(export, "lottery-protocol.json"), (protocol with { AnalysisPlanHash = new string('0', 64) }).ToJson());
        var stderr = new StringWriter();
        Assert.Equal(2, EvaluateCommand.Run(export, rerun, null, new StringWriter(), stderr));
        Assert.Contains("it is not the plan committed before the draw", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SurveyInvitationsLinkToTheHostTheDemoRan()
    {
        Assert.True(demo.Exit == 0, demo.Log);
        var served = new Uri(RunningAt().Match(demo.Log).Groups["url"].Value);
        var links = Directory.EnumerateFiles(Path.Combine(demo.Output, "mail"), "*.eml")
            .Select(file => MimeMessage.Load(file).TextBody ?? string.Empty)
            .SelectMany(body => QuestionnaireLink().Matches(body))
            .Select(match => new Uri(match.Value))
            .ToList();
        Assert.True(links.Count >= 40, $"{links.Count} questionnaire links in the demo's mail");
        Assert.All(links, link => Assert.Equal(served.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority)));
    }

    [GeneratedRegex(@"Grants is running at (?<url>\S+);")]
    private static partial Regex RunningAt();

    [GeneratedRegex(@"\S+/api/respond/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]{43}")]
    private static partial Regex QuestionnaireLink();
}

using System.IO.Compression;
using System.Text.RegularExpressions;
using Grants.Cli.Commands;
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
        Assert.Contains("Follow-up wave 2 (24 months after the draw)", demo.Log, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(Path.Combine(demo.Output, "mail"), "*.eml").Count() > 40, "invitations went out as mail");

        var verify = new StringWriter();
        var request = new VerifyRequest(Path.Combine(demo.Output, "lottery-protocol.json"), Announcements: Path.Combine(demo.Output, "lottery-announcements.json"));
        Assert.True(await LotteryCommand.VerifyAsync(request, verify, Ct) == 0, verify.ToString());
        Assert.Contains("Matches the announcements of round", verify.ToString(), StringComparison.Ordinal);

        var export = Path.Combine(demo.Output, "export");
        ZipFile.ExtractToDirectory(Path.Combine(demo.Output, "evaluation-export.zip"), export);
        var rerun = Path.Combine(demo.Output, "rerun.json");
        Assert.Equal(0, EvaluateCommand.Run(export, rerun, null, new StringWriter(), new StringWriter()));
        Assert.Equal(File.ReadAllText(Path.Combine(demo.Output, "report.json")), File.ReadAllText(rerun));
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

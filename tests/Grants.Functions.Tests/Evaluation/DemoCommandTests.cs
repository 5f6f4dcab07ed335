using System.IO.Compression;
using Grants.Cli.Commands;

namespace Grants.Functions.Tests.Evaluation;

/// <summary>
/// <c>grants demo</c> replays a (small) round end to end on its own local system: the protocol it leaves
/// verifies, and the export it leaves re-runs to exactly the report it printed from.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _output = Directory.CreateTempSubdirectory("grants-demo-").FullName;

    [Fact]
    public async Task TheDemoLeavesAVerifiableDrawAndAnExportThatReproducesItsReport()
    {
        var log = new StringWriter();

        var exit = await DemoCommand.RunAsync(applicants: 40, seed: 7, _output, log, Ct);

        Assert.True(exit == 0, log.ToString());
        var printed = log.ToString();
        Assert.Contains("40 organisations applied.", printed, StringComparison.Ordinal);
        Assert.Contains("Experimental deadweight:", printed, StringComparison.Ordinal);
        Assert.Contains("Follow-up wave 2 (24 months after the draw)", printed, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(Path.Combine(_output, "mail"), "*.eml").Count() > 40, "invitations went out as mail");

        var verify = new StringWriter();
        var request = new VerifyRequest(Path.Combine(_output, "lottery-protocol.json"), Announcements: Path.Combine(_output, "lottery-announcements.json"));
        Assert.True(await LotteryCommand.VerifyAsync(request, verify, Ct) == 0, verify.ToString());
        Assert.Contains("Matches the announcements of round", verify.ToString(), StringComparison.Ordinal);

        var export = Path.Combine(_output, "export");
        ZipFile.ExtractToDirectory(Path.Combine(_output, "evaluation-export.zip"), export);
        var rerun = Path.Combine(_output, "rerun.json");
        Assert.Equal(0, EvaluateCommand.Run(export, rerun, null, new StringWriter(), new StringWriter()));
        Assert.Equal(File.ReadAllText(Path.Combine(_output, "report.json")), File.ReadAllText(rerun));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}

using Grants.Cli.Commands;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Reporting;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Evaluation;

/// <summary><c>grants evaluate</c> writes the report and the page from an export directory, and refuses a broken one without writing anything.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private static readonly string SampleExport = Path.Combine(RepositoryPaths.Root, "tests", "Grants.Evaluation.Tests", "Data", "small-round");
    private readonly string _directory = Directory.CreateTempSubdirectory("grants-evaluate-").FullName;

    [Fact]
    public void WritesTheReportAndTheHtmlPage()
    {
        var (json, html) = (Path.Combine(_directory, "report.json"), Path.Combine(_directory, "report.html"));
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var exit = EvaluateCommand.Run(SampleExport, json, html, stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr.ToString());
        Assert.Equal(ReportJson.Serialize(ReportBuilder.Build(EvaluationInput.Load(SampleExport))), File.ReadAllText(json));
        Assert.Contains("<title>CONSORT flow diagram</title>", File.ReadAllText(html), StringComparison.Ordinal);
        Assert.Contains("120 units, 11 outcome estimates", stdout.ToString(), StringComparison.Ordinal);

        // The console leads with what the page leads with: the primary wave, its deadweight, primary estimate and test.
        var report = ReportJson.Deserialize(File.ReadAllText(json));
        var lines = stdout.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal(ReportSummary.Lines(report).Select(l => l.Trim()), lines.Skip(1).Where(l => l.Length > 0));
        Assert.Contains("Evaluation, wave 1 (the primary wave)", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Experimental deadweight: Of the organisations whose funding followed the lottery, 43%", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("by +14.7 points", StringComparison.Ordinal) && l.Contains("(randomisation inference: the lottery re-drawn as it was drawn)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Primary estimate (blocked by stratum):", StringComparison.Ordinal));
    }

    [Fact]
    public void ABrokenExportIsRefusedWithItsProblemsAndNothingIsWritten()
    {
        File.WriteAllText(Path.Combine(_directory, "units.csv"), "unit_id,round_id,stratum,p_assign,assigned,treated\nA,R,s,1.5,1,1\n");
        var json = Path.Combine(_directory, "report.json");
        var stderr = new StringWriter();

        var exit = EvaluateCommand.Run(_directory, json, null, new StringWriter(), stderr);

        Assert.Equal(2, exit);
        Assert.Contains("line 2, column p_assign", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void ADesignThatDoesNotMatchItsSchemaIsRefusedBeforeAnythingIsComputed()
    {
        File.Copy(Path.Combine(SampleExport, "units.csv"), Path.Combine(_directory, "units.csv"));
        File.WriteAllText(Path.Combine(_directory, "design.json"), """{ "primaryOutcome": "full", "PrimaryOutcome": "realised", "alpha": 0.7 }""");
        var json = Path.Combine(_directory, "report.json");
        var stderr = new StringWriter();

        var exit = EvaluateCommand.Run(_directory, json, null, new StringWriter(), stderr);

        Assert.Equal(2, exit);
        Assert.Contains("design.json cannot be read", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("PrimaryOutcome", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("/alpha", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(json));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

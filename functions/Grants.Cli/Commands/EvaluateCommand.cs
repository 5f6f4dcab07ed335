using System.CommandLine;
using Grants.Cli.Documents;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Reporting;

namespace Grants.Cli.Commands;

/// <summary>
/// <c>grants evaluate --input DIR --out report.json [--html report.html]</c>: re-runs the effect
/// evaluation offline from an evaluator export (units.csv and optionally design.json).
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Directory holding units.csv and optionally design.json", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write report.json", Required = true };
        var html = new Option<string?>("--html") { Description = "Also write the human report (self-contained HTML) here" };
        var command = new Command("evaluate", "Compute the effect evaluation (deadweight, effects, corrections) from an evaluator export") { input, output, html };
        command.SetAction(parse => Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(html), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string input, string output, string? html, TextWriter stdout, TextWriter stderr)
    {
        EvaluationReport report;
        try
        {
            var design = Path.Combine(input, EvaluationInput.DesignFile);
            if (File.Exists(design))
            {
                // The published schema first, as for every published document; then the reader's own checks.
                PublishedDocument.Check(EvaluationInput.DesignFile, File.ReadAllText(design), PublishedDocument.EvaluationDesignSchema).Dispose();
            }

            report = ReportBuilder.Build(EvaluationInput.Load(input));
        }
        catch (UnreadableDocumentException e)
        {
            stderr.WriteLine($"cannot evaluate {input}: {e.Document} cannot be read");
            foreach (var problem in e.Problems)
            {
                stderr.WriteLine($"  {problem}");
            }

            return 2;
        }
        catch (DatasetException e)
        {
            stderr.WriteLine($"cannot evaluate {input}:");
            foreach (var problem in e.Problems)
            {
                stderr.WriteLine($"  {problem}");
            }

            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot read {input}: {e.Message}");
            return 2;
        }

        try
        {
            File.WriteAllText(output, ReportJson.Serialize(report));
            if (html is not null)
            {
                File.WriteAllText(html, HtmlReport.Render(report));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"cannot write the report: {e.Message}");
            return 1;
        }

        stdout.WriteLine($"{report.Source.Units} units, {report.Outcomes.Count} outcome estimates → {output}{(html is null ? string.Empty : $" and {html}")}");
        foreach (var line in ReportSummary.Lines(report))
        {
            stdout.WriteLine(line);
        }

        return 0;
    }
}

using System.CommandLine;
using Grants.Cli.Documents;
using Grants.Domain.Lottery;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Export;
using Grants.Evaluation.Planning;
using Grants.Evaluation.Reporting;

namespace Grants.Cli.Commands;

/// <summary>
/// <c>grants evaluate --input DIR --out report.json [--html report.html]</c>: re-runs the effect
/// evaluation offline from an evaluator export: units.csv, and optionally design.json (the plan to use),
/// analysis-plan.json and lottery-protocol.json (the plan committed before the draw, which the report
/// checks the plan used against).
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Directory holding units.csv and optionally design.json, analysis-plan.json and lottery-protocol.json", Required = true };
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
            // The published schema first, as for every published document; then the reader's own checks.
            foreach (var (file, schema) in new[] { (EvaluationInput.DesignFile, PublishedDocument.EvaluationDesignSchema), (AnalysisPlanRecord.FileName, PublishedDocument.AnalysisPlanSchema) })
            {
                var path = Path.Combine(input, file);
                if (File.Exists(path))
                {
                    PublishedDocument.Check(file, File.ReadAllText(path), schema).Dispose();
                }
            }

            var protocol = ReadProtocol(input);
            var loaded = EvaluationInput.Load(input, protocol?.AnalysisPlanHash) with { Allocation = protocol?.AllocationNote() };
            CheckSameRound(loaded, protocol);
            report = ReportBuilder.Build(loaded);
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

    /// <summary>The round's lottery protocol beside units.csv, read as strictly as <c>grants lottery verify</c> reads it; null when there is none.</summary>
    private static LotteryProtocol? ReadProtocol(string input)
    {
        var path = Path.Combine(input, ExportPackage.ProtocolFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var protocol = PublishedDocument.Read(ExportPackage.ProtocolFile, File.ReadAllText(path), PublishedDocument.ProtocolSchema, LotteryProtocol.FromJson);
        return protocol.Problems() is { Count: > 0 } problems ? throw new UnreadableDocumentException(ExportPackage.ProtocolFile, problems) : protocol;
    }

    /// <summary>The protocol and the plan record must be the round's whose units are analysed, or their commitment says nothing about this analysis.</summary>
    private static void CheckSameRound(EvaluationInput input, LotteryProtocol? protocol)
    {
        var rounds = input.Dataset.RoundIds.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        if (protocol is not null && !rounds.Contains(protocol.RoundId))
        {
            problems.Add($"{ExportPackage.ProtocolFile} is the protocol of round {protocol.RoundId}, which has no unit in {EvaluationInput.UnitsFile}");
        }

        if (input.Commitment?.Record is { } record && !rounds.Contains(record.RoundId))
        {
            problems.Add($"{AnalysisPlanRecord.FileName} is the plan of round {record.RoundId}, which has no unit in {EvaluationInput.UnitsFile}");
        }

        if (problems.Count > 0)
        {
            throw new DatasetException(problems);
        }
    }
}

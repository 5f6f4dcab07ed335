using Grants.Evaluation.Planning;
using Grants.Evaluation.Reporting;
using Grants.Functions.Platform.Http;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Evaluation;

/// <summary>How the evaluation's documents are sent: each exactly as the evaluator export holds it.</summary>
public static class EvaluationResponses
{
    /// <summary>The analysis plan record with the bytes of analysis-plan.json.</summary>
    public static IResult PlanRecord(AnalysisPlanRecord record) => TypedResults.Text(record.ToJson(), "application/json", System.Text.Encoding.UTF8);

    /// <summary>report.json.</summary>
    public static IResult Report(RoundExport export) => TypedResults.Text(ReportJson.Serialize(export.Report), "application/json", System.Text.Encoding.UTF8);

    /// <summary>The self-contained HTML report.</summary>
    public static IResult Page(RoundExport export) => new HtmlPage(HtmlReport.Render(export.Report));

    /// <summary>The evaluator export as a zip.</summary>
    public static IResult Zip(RoundExport export, string roundId) => TypedResults.File(EvaluationExport.Zip(export), "application/zip", $"evaluation-{roundId}.zip");
}

using System.Net;

namespace Grants.Evaluation.Reporting;

/// <summary>
/// The report's headline as plain lines for a console: the same primary wave, primary estimate, design
/// test and experimental deadweight that lead the HTML report, so that every reader sees the same figures first.
/// </summary>
public static class ReportSummary
{
    public static IEnumerable<string> Lines(EvaluationReport report)
    {
        var alpha = report.Design.Alpha;
        if (report.AnalysisPlan is { } plan)
        {
            yield return (plan.Matches ? "Analysis plan: " : "Analysis plan — NOT the committed plan: ") + plan.Statement;
        }

        var primary = report.PrimaryOutcome;
        if (primary is null)
        {
            yield return "The declared primary outcome has no follow-up data yet.";
            yield break;
        }

        yield return $"Evaluation, wave {primary.Wave} (the primary wave), outcome \"{HtmlReport.Label(primary.Outcome)}\":";
        if (report.ExperimentalDeadweight.FirstOrDefault(d => d.Wave == primary.Wave) is { } deadweight)
        {
            yield return "  Experimental deadweight: " + HtmlReport.DeadweightSentence(deadweight, alpha);
        }

        if (report.SelfReportedDeadweight.FirstOrDefault(s => s.Wave == primary.Wave) is { P: { } sp, Ci: { Lower: { } lo, Upper: { } hi } } self)
        {
            yield return $"  Self-reported deadweight: {HtmlReport.Percent(sp)} of recipients say it would have gone the same ({self.X} of {self.N}; {HtmlReport.Level(alpha)} interval {HtmlReport.Percent(lo)} to {HtmlReport.Percent(hi)}).";
        }

        yield return "  " + WebUtility.HtmlDecode(HtmlReport.EffectSentence(primary, alpha)) + " " + HtmlReport.TestSentence(primary);
        yield return $"  Primary estimate ({HtmlReport.EstimatorName(primary.Primary.Estimator)}): {primary.Primary.Reason}";
        if (primary.Cace is { Estimate: { } cace, Ci: { Lower: { } clo, Upper: { } chi } })
        {
            yield return $"  Effect of receiving the subsidy (compliers): {HtmlReport.Points(cace, primary.Kind)} ({HtmlReport.Level(alpha)} interval {HtmlReport.Points(clo, primary.Kind)} to {HtmlReport.Points(chi, primary.Kind)}).";
        }
    }
}

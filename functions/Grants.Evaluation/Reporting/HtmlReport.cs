using System.Globalization;
using System.Net;
using System.Text;

namespace Grants.Evaluation.Reporting;

/// <summary>
/// The human report: one self-contained HTML page (no scripts, no external files; charts are inline SVG)
/// for ministry staff. Its sentences are derived from interval bounds — what the data rule out — never
/// from p-values alone.
/// </summary>
public static class HtmlReport
{
    private static readonly Dictionary<string, string> Labels = new()
    {
        ["realised"] = "project went ahead (in any form)",
        ["full"] = "project was carried out exactly as planned",
        ["smaller"] = "project was carried out on a smaller scale",
        ["later"] = "project was carried out later than planned",
        ["less_external"] = "project was carried out with less external help",
        ["spend"] = "money spent on the project",
    };

    /// <summary>The interval level the design's α gives, e.g. "95%".</summary>
    public static string Level(double alpha) => ((1 - alpha) * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Label(string outcome) => Labels.TryGetValue(outcome, out var label) ? label : outcome.Replace('_', ' ');

    public static string Render(EvaluationReport report)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Effect evaluation</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.5; }
            h1, h2 { color: #01689b; } table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
            th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; } th:first-child, td:first-child { text-align: left; }
            caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; } .finding { background: #f3f7fa; border-left: 4px solid #01689b; padding: 0.5rem 1rem; }
            svg { max-width: 100%; height: auto; font-size: 12px; } .chart-title { font-weight: 600; font-size: 13px; } .grid { stroke: #e3e3e3; }
            .reference { stroke: #555; stroke-dasharray: 4 3; } .threshold { stroke: #c00; stroke-dasharray: 2 3; } .interval { stroke: #01689b; stroke-width: 2.5; }
            .point { fill: #01689b; } .tick { fill: #555; } .box { fill: #f3f7fa; stroke: #01689b; } .box-title { font-weight: 600; } .arrow { stroke: #555; }
            .flag { color: #c00; font-weight: 600; } small, .method { color: #555; } .departs { border-left-color: #c00; background: #fdf3f3; }
            </style>
            </head>
            <body>
            """);
        html.Append("<h1>Effect evaluation of the lottery</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Round{(report.Source.Rounds.Count == 1 ? string.Empty : "s")} {E(string.Join(", ", report.Source.Rounds))}: {report.Source.Units} applications in the lottery pool, follow-up wave{(report.Source.Waves.Count == 1 ? string.Empty : "s")} {string.Join(", ", report.Source.Waves)}. <small>Computed from units.csv with SHA-256 <code>{report.Source.UnitsSha256}</code>; intervals are {Level(report.Design.Alpha)}.</small></p>");

        if (report.Allocation is { } allocation)
        {
            html.Append("<p class=\"finding\">").Append(E(allocation.Statement)).Append("</p>");
        }

        Findings(html, report);
        Deadweight(html, report);
        Effects(html, report);
        Corrections(html, report);
        html.Append("<h2>Who took part</h2>").Append(Svg.ConsortFlow(report.Consort));
        Attrition(html, report);
        BalanceSection(html, report);
        html.Append("<h2>What a lottery cannot measure</h2><ul>");
        foreach (var limitation in report.Limitations)
        {
            html.Append("<li>").Append(E(limitation)).Append("</li>");
        }

        html.Append("</ul><h2>Methods</h2><ul class=\"method\">");
        foreach (var method in Methods(report))
        {
            html.Append("<li>").Append(E(method)).Append("</li>");
        }

        html.Append("</ul><p><small>Each method is explained in plain words in docs/evaluation.md of the Grants repository. Re-run with <code>grants evaluate --input DIR --out report.json --html report.html</code>.</small></p></body></html>\n");
        return html.ToString();
    }

    private static void Findings(StringBuilder html, EvaluationReport report)
    {
        html.Append("<h2>Main findings</h2>");
        if (report.AnalysisPlan is { } plan)
        {
            html.Append(plan.Matches ? "<p>" : "<p class=\"finding departs\"><strong>Not the committed plan.</strong> ").Append(E(plan.Statement))
                .Append(CultureInfo.InvariantCulture, $" <small>Plan hash <code>{plan.Hash}</code>; committed <code>{plan.CommittedHash}</code>.</small></p>");
        }

        var primary = report.PrimaryOutcome;
        if (primary is null)
        {
            html.Append("<p>The declared primary outcome has no follow-up data yet.</p>");
            return;
        }

        var deadweight = report.ExperimentalDeadweight.FirstOrDefault(d => d.Wave == primary.Wave);
        if (deadweight is not null)
        {
            html.Append("<p class=\"finding\">").Append(E(DeadweightSentence(deadweight, report.Design.Alpha))).Append("</p>");
        }

        var self = report.SelfReportedDeadweight.FirstOrDefault(s => s.Wave == primary.Wave);
        if (self is { P: { } selfP, Ci: { } selfCi })
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"finding\">Asked directly, {Percent(selfP)} of the recipients ({self.X} of {self.N}; {Level(report.Design.Alpha)} interval {Percent(selfCi.Lower)} to {Percent(selfCi.Upper)}) said their project would have gone exactly the same without the subsidy. That self-reported figure rests on a hypothetical question; the experimental figure above does not.</p>");
        }

        html.Append("<p class=\"finding\">").Append(EffectSentence(primary, report.Design.Alpha)).Append(' ').Append(E(TestSentence(primary))).Append("</p>");
        html.Append("<p><small>").Append(E(primary.Primary.Reason)).Append(" Method: ").Append(E(primary.Primary.Method)).Append(".</small></p>");
        if (primary.Primary.Estimator != "difference" && primary.Difference.Estimate is { } plain)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><small>The unadjusted difference between winners and losers, {Points(plain, primary.Kind)}, does not allow for the applicants' different chances of winning; it is not the estimate to read.</small></p>");
        }

        if (primary.Cace is { Estimate: { } cace, Ci: { Lower: { } lo, Upper: { } hi } } && primary.ComplierMeans is { ComplierShare: { } share } && share < 0.999)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Not every winner took the subsidy and some losers were funded later: the offer changed receipt for {Percent(share)} of organisations. For those, the effect of actually receiving the subsidy is estimated at {Points(cace, primary.Kind)} ({Level(report.Design.Alpha)} interval {Points(lo, primary.Kind)} to {Points(hi, primary.Kind)}).</p>");
        }

        if (primary.Lee is { Lower: { } leeLower, Upper: { } leeUpper } lee && lee.TrimmedShare > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Winners and losers answered at different rates. Allowing for the worst case of who stopped answering (Lee bounds), the effect lies between {Points(leeLower, primary.Kind)} and {Points(leeUpper, primary.Kind)}.</p>");
        }

        if (report.Mde is { Mde: { } mde } m)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>With {m.NTreatment} winners and {m.NControl} losers answering, the evaluation could reliably ({Percent(m.Power)} power, two-sided α = {m.Alpha.ToString("0.###", CultureInfo.InvariantCulture)}) detect a difference of {Pp(mde, signed: false)} in the primary outcome; smaller true effects may go unnoticed.</p>");
        }
    }

    /// <summary>Experimental deadweight in words: the figure, how it was computed, and what its interval rules out.</summary>
    public static string DeadweightSentence(ExperimentalDeadweight deadweight, double alpha = 0.05)
    {
        if (deadweight is not { Estimate: { } p, Ci: { Lower: { } lo, Upper: { } hi } })
        {
            return $"Experimental deadweight in wave {deadweight.Wave} cannot be estimated: no lottery loser answered.";
        }

        var complier = deadweight.Method == ReportBuilder.ComplierDeadweightMethod;
        var who = complier
            ? $"Of the organisations whose funding followed the lottery, {Percent(p)} would have gone ahead without the subsidy in wave {deadweight.Wave} (complier mean; some losers were funded after all or some winners declined)."
            : $"Of the lottery losers who answered wave {deadweight.Wave}, {Percent(p)} went ahead without the subsidy, weighted so that they stand for the whole pool ({deadweight.N} losers answered{(deadweight.Unweighted is { } u && Math.Abs(u - p) >= 0.005 ? $"; unweighted {Percent(u)}" : string.Empty)}).";
        return $"{who} This is the experimental deadweight: with {Level(alpha)} confidence it lies between {Percent(lo)} and {Percent(hi)}, so we can rule out deadweight above {Percent(hi)} (and below {Percent(lo)}).";
    }

    /// <summary>The primary estimator as a reader names it.</summary>
    public static string EstimatorName(string estimator) => estimator switch
    {
        "difference" => "plain difference",
        "blocked" => "blocked by stratum",
        "hajek" => "Hajek weighted",
        _ => estimator,
    };

    /// <summary>The primary test in words: its p-value and method, and that a Monte Carlo p-value carries its own error.</summary>
    public static string TestSentence(OutcomeEntry entry)
    {
        var test = entry.Primary.Test;
        if (test.P is not { } p)
        {
            return "No test of \"no effect\" can be computed.";
        }

        var value = p < 0.001 ? "below 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);
        var error = test.McSe is > 0 and { } se ? $", Monte Carlo error ± {se.ToString("0.0000", CultureInfo.InvariantCulture)}" : string.Empty;
        var name = test.Method.StartsWith("Randomisation", StringComparison.Ordinal) ? "randomisation inference: the lottery re-drawn as it was drawn" : test.Method.StartsWith("Fisher", StringComparison.Ordinal) ? "Fisher's exact test" : "Welch's t test";
        return $"The p-value for \"no effect\" is {value} ({name}{error}).";
    }

    /// <summary>A sentence about the primary estimate built from its interval bounds: what is ruled out, what is shown.</summary>
    public static string EffectSentence(OutcomeEntry entry, double alpha = 0.05)
    {
        if (entry.Primary is not { Estimate: { } d, Ci: { Lower: { } lo, Upper: { } hi } })
        {
            return $"The effect on \"{E(Label(entry.Outcome))}\" in wave {entry.Wave} cannot be estimated. {E(entry.Primary.Reason)}";
        }

        var subject = entry.Kind == "binary"
            ? $"the share of organisations whose {E(Label(entry.Outcome))}"
            : $"the {E(Label(entry.Outcome))}";
        var sentence = $"In wave {entry.Wave}, the subsidy changed {subject} by {Points(d, entry.Kind)} ({Level(alpha)} interval {Points(lo, entry.Kind)} to {Points(hi, entry.Kind)}). ";
        // A bound that rounds to zero at the precision shown is stated as such, not as "at least 0.0".
        bool Shown(double bound) => Points(Math.Abs(bound), entry.Kind, signed: false) != Points(0, entry.Kind, signed: false);
        return sentence + (lo > 0
            ? Shown(lo) ? $"It raised it by at least {Points(lo, entry.Kind, signed: false)}." : "It raised it, though possibly by very little."
            : hi < 0
                ? Shown(hi) ? $"It lowered it by at least {Points(-hi, entry.Kind, signed: false)}." : "It lowered it, though possibly by very little."
                : $"The data are consistent with no effect; an increase of more than {Points(hi, entry.Kind, signed: false)} or a decrease of more than {Points(-lo, entry.Kind, signed: false)} can be ruled out.");
    }

    private static void Deadweight(StringBuilder html, EvaluationReport report)
    {
        var rows = new List<Svg.IntervalRow>();
        foreach (var wave in report.Source.Waves)
        {
            if (report.ExperimentalDeadweight.FirstOrDefault(d => d.Wave == wave) is { Estimate: { } p, Ci: { } ci } deadweight)
            {
                var label = deadweight.Method == ReportBuilder.ComplierDeadweightMethod ? "compliers who would have gone ahead anyway" : "losers who went ahead anyway (weighted)";
                rows.Add(new Svg.IntervalRow($"Wave {wave}: {label}", p, ci.Lower, ci.Upper, "experimental"));
            }

            var self = report.SelfReportedDeadweight.FirstOrDefault(s => s.Wave == wave);
            if (self is { P: { } sp, Ci: { } sci })
            {
                rows.Add(new Svg.IntervalRow($"Wave {wave}: recipients saying 'anyway'", sp, sci.Lower, sci.Upper, "self-reported"));
            }
        }

        if (rows.Count > 0)
        {
            html.Append("<h2>Deadweight: experimental and self-reported</h2>").Append(Svg.IntervalPlot($"Share of projects that would have happened without the subsidy ({Level(report.Design.Alpha)} interval)", rows, percent: true, reference: null));
        }
    }

    private static void Effects(StringBuilder html, EvaluationReport report)
    {
        html.Append("<h2>Effects by wave</h2>");
        var binary = report.Outcomes.Where(o => o.Kind == "binary").ToArray();
        if (binary.Length > 0)
        {
            html.Append(Svg.IntervalPlot($"Effect of the offer, percentage points (primary estimate, {Level(report.Design.Alpha)} interval)", binary.Select(o => new Svg.IntervalRow($"Wave {o.Wave}: {Label(o.Outcome)}", o.Primary.Estimate, o.Primary.Ci.Lower, o.Primary.Ci.Upper)).ToArray(), percent: true));
        }

        html.Append("<ul>");
        foreach (var entry in report.Outcomes)
        {
            html.Append("<li>").Append(EffectSentence(entry, report.Design.Alpha)).Append("</li>");
        }

        html.Append("</ul>");
        var primary = report.PrimaryOutcome;
        if (primary is not null && primary.ByStratum.Count > 1)
        {
            html.Append("<h2>Effects by stratum</h2>").Append(Svg.IntervalPlot(
                $"Wave {primary.Wave}, {Label(primary.Outcome)}: winners minus losers per stratum",
                primary.ByStratum.Select(s => new Svg.IntervalRow($"{s.Stratum} ({s.NTreatment} vs {s.NControl})", s.Estimate, s.Ci?.Lower, s.Ci?.Upper)).ToArray(),
                percent: primary.Kind == "binary"));
        }
    }

    private static void Corrections(StringBuilder html, EvaluationReport report)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>All estimates</h2><table><caption>Intention to treat and its corrections ({Level(report.Design.Alpha)} intervals; p-values two-sided; 0/1 outcomes in percent and percentage points)</caption><thead><tr>")
            .Append("<th scope=\"col\">Wave, outcome</th><th scope=\"col\">Losers</th><th scope=\"col\">Winners</th><th scope=\"col\">Primary estimate</th><th scope=\"col\">Unadjusted difference</th><th scope=\"col\">Blocked</th><th scope=\"col\">IPW (Hajek)</th><th scope=\"col\">Receipt effect (CACE)</th><th scope=\"col\">Lee bounds</th><th scope=\"col\">Fisher / Welch p</th><th scope=\"col\">Randomisation p</th><th scope=\"col\">Holm p of the primary tests</th></tr></thead><tbody>");
        foreach (var o in report.Outcomes)
        {
            var pct = o.Kind == "binary";
            var primary = new EstimateEntry(o.Primary.Estimate, o.Primary.Se, o.Primary.Df, o.Primary.Ci, o.Primary.Method);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{o.Wave}: {E(Label(o.Outcome))}</td><td>{Arm(o.Control, pct)}</td><td>{Arm(o.Treatment, pct)}</td><td><strong>{Est(primary, pct)}</strong><br><small>{E(EstimatorName(o.Primary.Estimator))}</small></td><td>{Est(o.Difference, pct)}</td><td>{Est(o.Blocked, pct)}</td><td>{Est(o.Hajek, pct)}</td><td>{Est(o.Cace, pct)}</td><td>{(o.Lee is { Lower: { } l, Upper: { } u } ? $"{V(l, pct, signed: true)} to {V(u, pct, signed: true)}" : "–")}</td><td>{Pv(o.FisherP ?? o.WelchP)}</td><td>{Pv(o.RiP)}{(o.RiExact || o.RiMcSe is not { } se ? string.Empty : $"<br><small>Monte Carlo ± {se.ToString("0.0000", CultureInfo.InvariantCulture)}</small>")}</td><td>{Pv(o.Primary.Test.HolmP)}</td></tr>");
        }

        html.Append("</tbody></table>");
        var notes = report.Outcomes.SelectMany(o => new[] { ("unadjusted difference", o.Difference), ("blocked", o.Blocked), ("IPW", o.Hajek), ("CACE", o.Cace) }
            .Where(e => e.Item2?.Note is not null).Select(e => $"Wave {o.Wave}, {Label(o.Outcome)}, {e.Item1}: {e.Item2!.Note}")).Distinct().ToArray();
        if (notes.Length > 0)
        {
            html.Append("<ul class=\"method\">");
            foreach (var note in notes)
            {
                html.Append("<li>").Append(E(note)).Append("</li>");
            }

            html.Append("</ul>");
        }
    }

    private static void Attrition(StringBuilder html, EvaluationReport report)
    {
        html.Append("<h2>Who answered the follow-up</h2><table><caption>Response per wave and arm</caption><thead><tr><th scope=\"col\">Wave</th><th scope=\"col\">Winners answered</th><th scope=\"col\">Losers answered</th><th scope=\"col\">Difference</th><th scope=\"col\">Fisher p</th></tr></thead><tbody>");
        foreach (var a in report.Attrition)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{a.Wave}</td><td>{a.Treatment.Responded} of {a.Treatment.Assigned} ({Percent(a.Treatment.Rate)})</td><td>{a.Control.Responded} of {a.Control.Assigned} ({Percent(a.Control.Rate)})</td><td>{(a.Differential is { } d ? Pp(d) : "–")}</td><td>{Pv(a.FisherP)}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void BalanceSection(StringBuilder html, EvaluationReport report)
    {
        if (report.Balance.Rows.Count == 0)
        {
            return;
        }

        html.Append("<h2>Were winners and losers alike beforehand?</h2>")
            .Append(Svg.IntervalPlot($"Normalised differences of baseline characteristics (red lines: ±{report.Balance.Threshold.ToString("0.##", CultureInfo.InvariantCulture)})", report.Balance.Rows.Select(r => new Svg.IntervalRow(r.Covariate, r.NormalisedDifference, null, null)).ToArray(), percent: false, threshold: report.Balance.Threshold))
            .Append("<table><caption>Baseline balance</caption><thead><tr><th scope=\"col\">Characteristic</th><th scope=\"col\">Winners</th><th scope=\"col\">Losers</th><th scope=\"col\">Normalised difference</th><th scope=\"col\">Weighted</th></tr></thead><tbody>");
        foreach (var r in report.Balance.Rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(r.Covariate)}{(r.Flagged ? " <span class=\"flag\">(check)</span>" : string.Empty)}</td><td>{N(r.TreatmentMean)}</td><td>{N(r.ControlMean)}</td><td>{N(r.NormalisedDifference)}</td><td>{N(r.WeightedNormalisedDifference)}</td></tr>");
        }

        html.Append("</tbody></table><p><small>A lottery balances characteristics on average; single differences beyond the threshold happen by chance in some rounds, and the blocked and weighted estimates above do not depend on them.</small></p>");
    }

    private static IEnumerable<string> Methods(EvaluationReport report) =>
        report.Outcomes.SelectMany(o => o.Methods.Values.Concat(new[] { o.Primary.Method, o.Primary.Test.Method, o.Difference.Method, o.Blocked?.Method, o.Hajek?.Method, o.Cace?.Method, o.ComplierMeans?.Method, o.Lee?.Method }.OfType<string>()))
            .Concat(report.Attrition.Select(a => a.Method)).Concat(report.ExperimentalDeadweight.Select(d => d.Method)).Concat(report.SelfReportedDeadweight.Select(s => s.Method))
            .Append(report.Balance.Method).Concat(report.Mde is null ? [] : [report.Mde.Method])
            .Distinct().Order(StringComparer.Ordinal);

    private static string Arm(ArmSummary arm, bool percent) =>
        arm.P is { } p ? $"{(percent ? Percent(p) : V(p, false))} <small>(n {arm.N})</small>" : $"– <small>(n {arm.N})</small>";

    /// <summary>An estimate with its interval; a missing one is "–" with its reason beside it, never a bare dash.</summary>
    private static string Est(EstimateEntry? entry, bool percent) =>
        entry is { Estimate: { } e } ? $"{V(e, percent, signed: true)}{(entry.Ci is { Lower: { } l, Upper: { } u } ? $"<br><small>{V(l, percent, signed: true)} to {V(u, percent, signed: true)}</small>" : string.Empty)}"
        : entry?.Note is { } why ? $"–<br><small>{E(why)}</small>" : "–";

    private static string V(double value, bool percent, bool signed = false) => percent ? Signed(value * 100, "0.0", signed) : Signed(value, "0.##", signed);

    internal static string Points(double value, string kind, bool signed = true) => kind == "binary" ? Pp(value, signed) : V(value, false, signed);

    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    private static string Pp(double value, bool signed = true) => Signed(value * 100, "0.0", signed) + " points";

    /// <summary>A number with its sign; one that rounds to zero is written without one ("0.0", never "-0.0").</summary>
    private static string Signed(double value, string format, bool signed = true)
    {
        var text = Math.Abs(value).ToString(format, CultureInfo.InvariantCulture);
        var zero = text.All(c => c is '0' or '.');
        return zero ? text : value < 0 ? "−" + text : signed ? "+" + text : text;
    }

    private static string Pv(double? value) => value switch
    {
        null => "–",
        < 0.001 => "&lt; 0.001",
        { } v => v.ToString("0.000", CultureInfo.InvariantCulture),
    };

    private static string N(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    private static string E(string value) => WebUtility.HtmlEncode(value);
}

using System.Globalization;
using System.Net;
using System.Text;
using Grants.Contracts.Monitoring;
using Grants.Evaluation.Csv;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Monitoring;

/// <summary>Monitoring figures as JSON, as CSV (one figure per line) or as an HTML page with charts.</summary>
public static class MonitoringResponses
{
    public static readonly string[] Formats = ["json", "csv", "html"];

    /// <summary>Reads the <c>format</c> query value first (422 for an unknown one), then renders the figures in it.</summary>
    public static async Task<IResult> RenderAsync(IQueryCollection query, Func<Task<Result<MonitoringResponse>>> figures)
    {
        var format = ResponseFormat.Read(query, Formats);
        return format.Failure is { } invalid ? ResultResponses.Problem(invalid) : (await figures()).Respond(report => Render(report, format.Value));
    }

    /// <summary>The report in the format asked for (json when none); <paramref name="format"/> is one of <see cref="Formats"/> or null.</summary>
    public static IResult Render(MonitoringResponse report, string? format) => format switch
    {
        "csv" => TypedResults.Text(Csv(report), "text/csv", Encoding.UTF8),
        "html" => new HtmlPage(Html(report)),
        _ => TypedResults.Ok(report),
    };

    /// <summary>
    /// One figure per line: scope, id, dimension, key, metric, value — easy to pivot in a spreadsheet. RFC 4180
    /// through the same writer as the evaluator export (<see cref="CsvTable"/>).
    /// </summary>
    public static string Csv(MonitoringResponse report)
    {
        var rows = new List<string[]>();
        void Row(string dimension, string key, string metric, long value) =>
            rows.Add([report.Scope, report.Id, dimension, key, metric, value.ToString(CultureInfo.InvariantCulture)]);
        void Funnel(string dimension, string key, FunnelResponse f)
        {
            foreach (var (metric, value) in FunnelFigures(f))
            {
                Row(dimension, key, metric, value);
            }
        }

        Funnel("all", "all", report.Funnel);
        var v = report.Vouchers;
        foreach (var (metric, value) in new (string, long)[] { ("vouchers_issued", v.Issued), ("vouchers_claimed", v.Claimed), ("vouchers_redeemed", v.Redeemed), ("vouchers_expired", v.Expired), ("vouchers_returned", v.Returned), ("vouchers_issued_cents", v.IssuedCents), ("vouchers_paid_cents", v.PaidCents) })
        {
            Row("all", "all", metric, value);
        }

        var b = report.Budget;
        foreach (var (metric, value) in new (string, long)[] { ("ceiling_cents", b.CeilingCents), ("reserved_cents", b.ReservedCents), ("committed_cents", b.CommittedCents), ("paid_cents", b.PaidCents), ("released_cents", b.ReleasedCents), ("available_cents", b.AvailableCents) })
        {
            Row("all", "all", metric, value);
        }

        foreach (var row in report.Breakdowns)
        {
            Funnel(row.Dimension, row.Key, row.Funnel);
        }

        return CsvTable.Write(["scope", "id", "dimension", "key", "metric", "value"], rows);
    }

    public static string Html(MonitoringResponse report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Monitoring</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}h1,h2{color:#01689b}table{border-collapse:collapse;margin:1rem 0}")
            .Append("th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}.bar{fill:#01689b}.ok{color:#060}.bad{color:#c00;font-weight:600}")
            .Append("</style></head><body>")
            .Append("<h1>Monitoring: ").Append(E(report.Scope)).Append(' ').Append(E(report.Id)).Append("</h1>");
        var funnel = FunnelFigures(report.Funnel).ToList();
        var max = Math.Max(1, funnel.Max(f => f.Value));
        html.Append("<h2>From application to acceptance</h2><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"640\" height=\"").Append(funnel.Count * 26 + 10).Append("\"><title>Funnel</title>");
        for (var i = 0; i < funnel.Count; i++)
        {
            var width = (int)Math.Round(400.0 * funnel[i].Value / max);
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{i * 26 + 18}\">{E(funnel[i].Metric)}</text><rect class=\"bar\" x=\"130\" y=\"{i * 26 + 4}\" width=\"{width}\" height=\"18\"/><text x=\"{136 + width}\" y=\"{i * 26 + 18}\">{funnel[i].Value}</text>");
        }

        html.Append("</svg>");
        var b = report.Budget;
        html.Append("<h2>Budget</h2><table><tr><th>ceiling</th><th>reserved</th><th>committed</th><th>paid</th><th>released</th><th>available</th><th>reconciles</th></tr><tr>")
            .Append(CultureInfo.InvariantCulture, $"<td>{Euro(b.CeilingCents)}</td><td>{Euro(b.ReservedCents)}</td><td>{Euro(b.CommittedCents)}</td><td>{Euro(b.PaidCents)}</td><td>{Euro(b.ReleasedCents)}</td><td>{Euro(b.AvailableCents)}</td>")
            .Append(b.Reconciles ? "<td class=\"ok\">yes</td>" : "<td class=\"bad\">NO</td>").Append("</tr></table>");
        var v = report.Vouchers;
        html.Append(CultureInfo.InvariantCulture, $"<h2>Vouchers</h2><table><tr><th>issued</th><th>claimed</th><th>redeemed</th><th>expired</th><th>returned</th><th>value issued</th><th>paid</th></tr><tr><td>{v.Issued}</td><td>{v.Claimed}</td><td>{v.Redeemed}</td><td>{v.Expired}</td><td>{v.Returned}</td><td>{Euro(v.IssuedCents)}</td><td>{Euro(v.PaidCents)}</td></tr></table>");
        foreach (var dimension in report.Breakdowns.GroupBy(r => r.Dimension))
        {
            html.Append("<h2>By ").Append(E(dimension.Key)).Append("</h2><table><tr><th>").Append(E(dimension.Key)).Append("</th>");
            foreach (var (metric, _) in funnel)
            {
                html.Append("<th>").Append(E(metric)).Append("</th>");
            }

            html.Append("</tr>");
            foreach (var row in dimension)
            {
                html.Append("<tr><td>").Append(E(row.Key)).Append("</td>");
                foreach (var (_, value) in FunnelFigures(row.Funnel))
                {
                    html.Append("<td>").Append(value).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static IEnumerable<(string Metric, long Value)> FunnelFigures(FunnelResponse f) =>
    [
        ("applications", f.Applications), ("eligible", f.Eligible), ("in_pool", f.InPool), ("selected", f.Selected), ("awarded", f.Awarded),
        ("accepted", f.Accepted), ("declined", f.Declined), ("lapsed", f.Lapsed), ("rejected", f.Rejected), ("withdrawn", f.Withdrawn),
    ];

    /// <summary>The page is in English, so are its amounts: €1,250,000.</summary>
    private static string Euro(long cents) => "€" + (cents / 100m).ToString("N0", CultureInfo.GetCultureInfo("en-GB"));

    private static string E(string value) => WebUtility.HtmlEncode(value);
}

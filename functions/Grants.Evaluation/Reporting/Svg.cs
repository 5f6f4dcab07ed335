using System.Globalization;
using System.Net;
using System.Text;

namespace Grants.Evaluation.Reporting;

/// <summary>Small inline SVG charts for the human report: interval (forest) plots and the CONSORT flow.</summary>
public static class Svg
{
    public sealed record IntervalRow(string Label, double? Estimate, double? Lower, double? Upper, string? Note = null);

    /// <summary>A dot with its interval per row on a shared axis, with a reference line at zero (or a given value).</summary>
    public static string IntervalPlot(string title, IReadOnlyList<IntervalRow> rows, bool percent, double? reference = 0, double? threshold = null)
    {
        const int labelWidth = 260, plotWidth = 420, rowHeight = 24, top = 30, bottom = 34;
        var values = rows.SelectMany(r => new[] { r.Estimate, r.Lower, r.Upper }).Where(v => v is not null && double.IsFinite(v.Value)).Select(v => v!.Value)
            .Concat(reference is null ? [] : [reference.Value]).Concat(threshold is null ? [] : [threshold.Value, -threshold.Value]).ToArray();
        var (min, max) = values.Length == 0 ? (-1.0, 1.0) : (values.Min(), values.Max());
        var step = NiceStep((max - min) / 5);
        (min, max) = (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step);
        if (max - min < 1e-12)
        {
            (min, max) = (min - step, max + step);
        }

        double X(double v) => labelWidth + ((v - min) / (max - min) * plotWidth);
        var height = top + (rows.Count * rowHeight) + bottom;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {labelWidth + plotWidth + 20} {height}" width="{labelWidth + plotWidth + 20}" height="{height}"><title>{Text(title)}</title>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="16" class="chart-title">{Text(title)}</text>""");
        for (var tick = min; tick <= max + (step / 2); tick += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{X(tick):0.#}" y1="{top - 6}" x2="{X(tick):0.#}" y2="{height - bottom + 4}" class="grid"/><text x="{X(tick):0.#}" y="{height - bottom + 18}" text-anchor="middle" class="tick">{Format(tick, percent)}</text>""");
        }

        if (reference is { } r)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{X(r):0.#}" y1="{top - 6}" x2="{X(r):0.#}" y2="{height - bottom + 4}" class="reference"/>""");
        }

        if (threshold is { } t)
        {
            foreach (var v in new[] { -t, t })
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{X(v):0.#}" y1="{top - 6}" x2="{X(v):0.#}" y2="{height - bottom + 4}" class="threshold"/>""");
            }
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = top + (i * rowHeight) + (rowHeight / 2);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="{y + 4}" class="label">{Text(row.Label)}</text>""");
            if (row.Lower is { } lo && row.Upper is { } hi && double.IsFinite(lo) && double.IsFinite(hi))
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{X(lo):0.#}" y1="{y}" x2="{X(hi):0.#}" y2="{y}" class="interval"><title>{Text(row.Label)}: {Format(lo, percent)} to {Format(hi, percent)}</title></line>""");
            }

            if (row.Estimate is { } e && double.IsFinite(e))
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<circle cx="{X(e):0.#}" cy="{y}" r="4.5" class="point"><title>{Text(row.Label)}: {Format(e, percent)}{(row.Note is null ? string.Empty : " — " + Text(row.Note))}</title></circle>""");
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{labelWidth}" y="{y + 4}" class="tick">not estimable</text>""");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>The CONSORT flow: pool, allocation by the lottery, receipt, and follow-up per wave.</summary>
    public static string ConsortFlow(Consort consort)
    {
        const int boxWidth = 300, boxHeight = 58, gap = 36, left = 10, right = 360;
        var rows = 2 + consort.Waves.Count;
        var height = 20 + (rows * (boxHeight + gap));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 680 {height}" width="680" height="{height}"><title>CONSORT flow diagram</title>""");
        void Box(int x, int row, string line1, string line2)
        {
            var y = 10 + (row * (boxHeight + gap));
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="{boxWidth}" height="{boxHeight}" rx="6" class="box"/><text x="{x + (boxWidth / 2)}" y="{y + 24}" text-anchor="middle" class="box-title">{Text(line1)}</text><text x="{x + (boxWidth / 2)}" y="{y + 44}" text-anchor="middle" class="box-text">{Text(line2)}</text>""");
        }

        void Arrow(int x1, int row1, int x2)
        {
            var y1 = 10 + (row1 * (boxHeight + gap)) + boxHeight;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x1 + (boxWidth / 2)}" y1="{y1}" x2="{x2 + (boxWidth / 2)}" y2="{y1 + gap - 2}" class="arrow" marker-end="url(#head)"/>""");
        }

        svg.Append("""<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>""");
        var middle = (left + right) / 2;
        Box(middle, 0, $"Lottery pool: {consort.Pool} eligible applications",
            string.Join(", ", consort.Strata.Select(s => $"{s.Stratum} {s.Pool}")) + (consort.NotRandomised > 0 ? $"; {consort.NotRandomised} certain either way, not compared" : string.Empty));
        Arrow(middle, 0, left);
        Arrow(middle, 0, right);
        Box(left, 1, $"Winners (assigned): {consort.Treatment.Allocated}", $"received {consort.Treatment.Received}, did not {consort.Treatment.NotReceived}");
        Box(right, 1, $"Losers (control): {consort.Control.Allocated}", $"funded anyway {consort.Control.Received}, not funded {consort.Control.NotReceived}");
        for (var i = 0; i < consort.Waves.Count; i++)
        {
            var wave = consort.Waves[i];
            Arrow(left, 1 + i, left);
            Arrow(right, 1 + i, right);
            Box(left, 2 + i, $"Wave {wave.Wave}: {wave.Treatment.Responded} answered", $"lost {wave.Treatment.Lost}; analysed {wave.Treatment.Analysed}");
            Box(right, 2 + i, $"Wave {wave.Wave}: {wave.Control.Responded} answered", $"lost {wave.Control.Lost}; analysed {wave.Control.Analysed}");
        }

        return svg.Append("</svg>").ToString();
    }

    public static string Format(double value, bool percent) =>
        percent ? (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Text(string value) => WebUtility.HtmlEncode(value);

    private static double NiceStep(double raw)
    {
        if (!(raw > 0))
        {
            return 0.1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }
}

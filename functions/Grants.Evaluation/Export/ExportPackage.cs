using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grants.Evaluation.Csv;
using Grants.Evaluation.Dataset;

namespace Grants.Evaluation.Export;

/// <summary>
/// The files of an evaluator export besides the data: the data package describing them (the published
/// one in contracts/evaluation-export, plus this export's extra outcome columns and respondent table),
/// the design, and a short replication script.
/// </summary>
public static class ExportPackage
{
    public const string UnitsFile = "units.csv";
    public const string RespondentsFile = "respondents.csv";
    public const string PackageFile = "datapackage.json";
    public const string DesignFile = "design.json";
    public const string ConsortFile = "consort.json";
    public const string ProtocolFile = "lottery-protocol.json";
    public const string ReplicationFile = "replicate.py";

    /// <summary>
    /// The published data package, its units schema listing exactly the columns of this export's
    /// units.csv in their order: the published fields, waves beyond the published two described like
    /// wave 1, and the extra numeric outcome columns with their descriptions; plus the respondents table.
    /// </summary>
    public static string DataPackage(IReadOnlyList<string> unitColumns, IReadOnlyDictionary<string, string> extraDescriptions, IEnumerable<string> respondentColumns)
    {
        using var stream = typeof(ExportPackage).Assembly.GetManifestResourceStream(PackageFile) ?? throw new InvalidOperationException("datapackage.json is not embedded");
        var package = JsonNode.Parse(stream)!.AsObject();
        var units = package["resources"]![0]!.AsObject();
        var published = units["schema"]!["fields"]!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!.AsObject());
        var fields = new JsonArray();
        foreach (var name in unitColumns)
        {
            if (published.TryGetValue(name, out var field))
            {
                fields.Add(field.DeepClone());
            }
            else if (WaveColumn(name) is { } wave && published.TryGetValue($"w1_{wave.Name}", out var template))
            {
                var copy = template.DeepClone().AsObject();
                copy["name"] = name;
                copy["description"] = template["description"]!.GetValue<string>().Replace("Wave 1", $"Wave {wave.Number}", StringComparison.Ordinal).Replace("wave 1", $"wave {wave.Number}", StringComparison.Ordinal);
                fields.Add(copy);
            }
            else
            {
                fields.Add(new JsonObject { ["name"] = name, ["type"] = "number", ["description"] = extraDescriptions.TryGetValue(name, out var description) ? description : "An extra numeric outcome." });
            }
        }

        units["schema"]!["fields"] = fields;
        package["resources"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "respondents",
            ["path"] = RespondentsFile,
            ["profile"] = "tabular-data-resource",
            ["format"] = "csv",
            ["mediatype"] = "text/csv",
            ["encoding"] = "utf-8",
            ["description"] = "Every respondent's answers, several per organisation (role management is the unit's answer in units.csv). Multi-select questions have one 0/1 column per option.",
            ["schema"] = new JsonObject
            {
                ["fields"] = new JsonArray(respondentColumns.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["type"] = "string" }).ToArray()),
                ["missingValues"] = new JsonArray(UnitColumns.MissingCodes.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            },
        });
        return package.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static (int Number, string Name)? WaveColumn(string column)
    {
        var match = System.Text.RegularExpressions.Regex.Match(column, "^w([0-9]+)_(.+)$");
        return match.Success ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value) : null;
    }

    public static string Design(EvaluationDesign design) => design.ToJson();

    /// <summary>units.csv and respondents.csv: RFC 4180 with LF line ends, in UTF-8 without a byte order mark (<see cref="CsvTable"/>).</summary>
    public static byte[] Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) => CsvTable.WriteUtf8(header, rows);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Recomputes the headline numbers from units.csv with the Python standard library only: per wave,
    /// the losers' realisation rate (experimental deadweight) with its Wilson interval, and the
    /// winners-minus-losers difference with Newcombe's hybrid score interval.
    /// </summary>
    public const string ReplicationScript = """
        #!/usr/bin/env python3
        # Recomputes the headline numbers of the Grants evaluation report from units.csv alone.
        # Usage: python3 replicate.py [units.csv]
        import csv, math, sys

        Z = 1.959963984540054  # two-sided 95%
        MISSING = {"", "not_asked", "refused", "dont_know", "not_applicable", "no_response"}

        def wilson(x, n):
            centre = (x + Z * Z / 2) / (n + Z * Z)
            half = Z * math.sqrt(x * (n - x) / n + Z * Z / 4) / (n + Z * Z)
            return max(0.0, centre - half), min(1.0, centre + half)

        def newcombe(x1, n1, x0, n0):
            p1, p0 = x1 / n1, x0 / n0
            (l1, u1), (l0, u0) = wilson(x1, n1), wilson(x0, n0)
            d = p1 - p0
            return d, d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)

        rows = list(csv.DictReader(open(sys.argv[1] if len(sys.argv) > 1 else "units.csv", newline="", encoding="utf-8")))
        waves = sorted({int(c[1:].split("_")[0]) for c in rows[0] if c.startswith("w") and c.endswith("_realised")})
        for k in waves:
            answered = [r for r in rows if r[f"w{k}_responded"] == "1" and r[f"w{k}_realised"] not in MISSING]
            arms = {a: [int(r[f"w{k}_realised"]) for r in answered if r["assigned"] == a] for a in ("1", "0")}
            if not arms["1"] or not arms["0"]:
                print(f"wave {k}: not enough answers yet")
                continue
            x1, n1, x0, n0 = sum(arms["1"]), len(arms["1"]), sum(arms["0"]), len(arms["0"])
            low, high = wilson(x0, n0)
            d, dl, dh = newcombe(x1, n1, x0, n0)
            print(f"wave {k}: losers who went ahead anyway {x0}/{n0} = {x0 / n0:.4f} (Wilson 95% {low:.4f} to {high:.4f})")
            print(f"wave {k}: winners minus losers {d:+.4f} (Newcombe 95% {dl:+.4f} to {dh:+.4f})")
        """;
}

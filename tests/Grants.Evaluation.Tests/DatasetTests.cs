using System.Text;
using System.Text.Json.Nodes;
using Grants.Evaluation.Csv;
using Grants.Evaluation.Dataset;
using Grants.Tests;

namespace Grants.Evaluation.Tests;

/// <summary>units.csv as the data package in contracts/ describes it, and the refusals that keep wrong files from giving wrong numbers.</summary>
public sealed class DatasetTests
{
    private const string Header = "unit_id,round_id,stratum,p_assign,assigned,treated,w1_responded,w1_realised";

    private static readonly JsonNode Package = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "contracts", "evaluation-export", "datapackage.json")))!;

    private static JsonArray Fields => Package["resources"]![0]!["schema"]!["fields"]!.AsArray();

    [Fact]
    public void ThePackageDeclaresTheMissingValueCodesTheReaderKnows()
    {
        var declared = Package["resources"]![0]!["schema"]!["missingValues"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
        Assert.Equal(UnitColumns.MissingCodes, declared);
    }

    [Fact]
    public void ThePackageDeclaresExactlyTheUnitColumnsTheReaderKnows()
    {
        var declared = Fields.Select(f => f!["name"]!.GetValue<string>()).Where(n => !n.StartsWith('w')).ToArray();
        Assert.Equal(UnitColumns.Required.Concat(UnitColumns.NumericCovariates).Concat(UnitColumns.CategoricalCovariates).Order(), declared.Order());
        var waveOne = Fields.Select(f => f!["name"]!.GetValue<string>()).Where(n => n.StartsWith("w1_", StringComparison.Ordinal)).Select(n => n[3..]).ToArray();
        Assert.Equal(new[] { UnitColumns.Responded }.Concat(UnitColumns.SurveyOutcomes), waveOne);
    }

    [Fact]
    public void TheSampleExportSatisfiesThePackageConstraints()
    {
        // A small Table Schema check: every declared field's values have its type and lie in its enum/range.
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "small-round", "units.csv");
        using var reader = new StreamReader(path);
        var rows = CsvTable.Read(reader).ToArray();
        var header = rows[0].Fields;
        var missing = UnitColumns.MissingCodes.ToHashSet();
        var checkedCells = 0;
        foreach (var field in Fields)
        {
            var name = field!["name"]!.GetValue<string>();
            var column = Array.IndexOf(header, name);
            Assert.True(column >= 0 || field["constraints"]?["required"] is null, $"required column {name} is missing");
            if (column < 0)
            {
                continue;
            }

            foreach (var (line, cells) in rows.Skip(1))
            {
                var value = cells[column];
                if (missing.Contains(value))
                {
                    Assert.True(field["constraints"]?["required"] is null, $"line {line}: {name} is required");
                    continue;
                }

                checkedCells++;
                switch (field["type"]!.GetValue<string>())
                {
                    case "integer":
                        Assert.True(long.TryParse(value, out var integer), $"line {line}: {name} '{value}' is not an integer");
                        if (field["constraints"]?["enum"] is JsonArray allowed)
                        {
                            Assert.Contains(integer, allowed.Select(a => a!.GetValue<long>()));
                        }

                        break;
                    case "number":
                        Assert.True(double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number), $"line {line}: {name} '{value}' is not a number");
                        Assert.True(field["constraints"]?["minimum"] is null || number >= field["constraints"]!["minimum"]!.GetValue<double>(), $"line {line}: {name} below minimum");
                        Assert.True(field["constraints"]?["maximum"] is null || number <= field["constraints"]!["maximum"]!.GetValue<double>(), $"line {line}: {name} above maximum");
                        break;
                }
            }
        }

        Assert.True(checkedCells > 2_000, $"only {checkedCells} cells checked");
    }

    [Fact]
    public void TheReaderKeepsColumnsWavesAndMissingCodes()
    {
        var data = Read($"{Header},w1_spend,w1_self_deadweight\nU-1,R,north,0.5,1,1,1,1,12.5,0\nU-2,R,north,0.5,0,0,1,0,refused,not_asked\nU-3,R,,0.5,0,1,0,,,\n");
        Assert.Equal(["U-1", "U-2", "U-3"], data.UnitIds);
        Assert.Equal(["north", "north", "all"], data.Strata);
        Assert.Equal([true, false, false], data.Assigned);
        Assert.Equal([true, false, true], data.Treated);
        var wave = Assert.Single(data.Waves);
        Assert.Equal(1, wave.Number);
        Assert.Equal([true, true, false], wave.Responded);
        Assert.Equal(["realised", "spend", "self_deadweight"], wave.Outcomes.Select(o => o.Name));
        Assert.True(wave.Outcome("realised")!.Binary);
        Assert.False(wave.Outcome("spend")!.Binary);
        Assert.Equal(12.5, wave.Outcome("spend")!.Values[0]);
        Assert.True(double.IsNaN(wave.Outcome("spend")!.Values[1]));
        Assert.True(double.IsNaN(wave.Outcome("self_deadweight")!.Values[1]));
    }

    [Fact]
    public void QuotedFieldsAndCrLfLineEndsAreRead()
    {
        var data = Read($"{Header}\r\n\"U-1\",\"R, first\",north,0.5,1,1,1,1\r\n");
        Assert.Equal("R, first", data.RoundIds[0]);
    }

    [Fact]
    public void AByteOrderMarkIsNotPartOfTheFirstColumnName()
    {
        var csv = Encoding.UTF8.GetBytes($"{Header}\nU-1,R,north,0.5,1,1,1,1\n");
        var data = EvaluationInput.FromBytes([.. Encoding.UTF8.GetPreamble(), .. csv], new EvaluationDesign()).Dataset;
        Assert.Equal(["U-1"], data.UnitIds);
    }

    [Fact]
    public void LinesAreCountedInsideQuotedFieldsAndBlankLinesAreSkipped()
    {
        // Line 2 holds a quoted line break, so the next unit starts on line 4; the blank line 5 is no unit.
        var error = Assert.Throws<DatasetException>(() => Read($"{Header}\r\nU-1,\"R\r\nfirst\",north,0.5,1,1,1,1\r\nU-1,R,north,0.5,0,0,1,0\r\n\r\nU-2,R,north,0.5,0,0,1,x\r\n"));
        Assert.Equal(["line 4, column unit_id: unit 'U-1' appears twice", "line 6, column w1_realised: 'x' is neither a number nor a missing-value code (not_asked, refused, dont_know, not_applicable, no_response or empty)"], error.Problems);
    }

    [Fact]
    public void ACarriageReturnAloneEndsALine()
    {
        // As in Sep (and Python's csv module): before the library, a lone CR was kept inside the field.
        var error = Assert.Throws<DatasetException>(() => Read($"{Header}\rU-1,R,north,0.5,1,1,1,1\rU-1,R,north,0.5,0,0,1,0\r"));
        Assert.Equal(["line 3, column unit_id: unit 'U-1' appears twice"], error.Problems);
    }

    [Theory]
    [InlineData("U-1,\"R,north,0.5,1,1,1,1", "line 2: a quoted field is not closed")]
    [InlineData("U-1,R,north,0.5,1,1,1,1\nU-2,R,\"north,0.5,0,0,1,0", "line 3: a quoted field is not closed")]
    // A quote inside an unquoted field opens a quoted stretch (Sep reads quotes wherever they stand), which here runs to the end.
    [InlineData("U-1,R,no\"rth,0.5,1,1,1,1\nU-2,R,north,0.5,0,0,1,0", "line 2: a quoted field is not closed")]
    public void AQuotedFieldLeftOpenIsRefusedWithItsLine(string rows, string expected) =>
        Assert.Equal([expected], Assert.Throws<DatasetException>(() => Read($"{Header}\n{rows}\n")).Problems);

    [Fact]
    public void AQuotedFieldLeftOpenInTheHeaderIsRefusedOnLineOne() =>
        Assert.Equal(["line 1: a quoted field is not closed"], Assert.Throws<DatasetException>(() => Read($"\"{Header}\nU-1,R,north,0.5,1,1,1,1\n")).Problems);

    [Theory]
    [InlineData("U-1,R,north,0.5,1,1,1,1\nU-1,R,north,0.5,0,0,1,0", "line 3, column unit_id: unit 'U-1' appears twice")]
    [InlineData("U-1,R,north,1.5,1,1,1,1", "line 2, column p_assign: '1.5' is not a probability from 0 to 1")]
    [InlineData("U-1,R,north,0,1,1,1,1", "line 2, column assigned: contradicts p_assign 0")]
    [InlineData("U-1,R,north,1,0,0,1,1", "line 2, column assigned: contradicts p_assign 1")]
    [InlineData("U-1,R,north,0.5,2,1,1,1", "line 2, column assigned: '2' is not 0 or 1")]
    [InlineData("U-1,R,north,0.5,1,yes,1,1", "line 2, column treated: 'yes' is not 0 or 1")]
    [InlineData("U-1,R,north,0.5,1,1,0,1", "line 2, column w1_realised: has a value but the unit did not respond in this wave")]
    [InlineData("U-1,R,north,0.5,1,1,1,0.5", "line 2, column w1_realised: '0.5' is not 0 or 1")]
    [InlineData("U-1,R,north,0.5,1,1,1,perhaps", "line 2, column w1_realised: 'perhaps' is neither a number nor a missing-value code")]
    [InlineData("U-1,R,north,0.5,1,1,1", "line 2: 7 fields where the header has 8")]
    public void BadRowsAreRefusedWithLineAndColumn(string rows, string expected)
    {
        var error = Assert.Throws<DatasetException>(() => Read($"{Header}\n{rows}\n"));
        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("unit_id,round_id,stratum,p_assign,assigned", "header: required column 'treated' is missing")]
    [InlineData(Header + ",asigned", "header: unknown column 'asigned'")]
    [InlineData(Header + ",assigned", "header: column 'assigned' appears twice")]
    [InlineData("unit_id,round_id,stratum,p_assign,assigned,treated,w2_realised", "header: wave 2 has outcome columns but no w2_responded")]
    public void BadHeadersAreRefused(string header, string expected)
    {
        var error = Assert.Throws<DatasetException>(() => Read($"{header}\n"));
        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyFileAndAFileWithoutUnitsAreRefused()
    {
        Assert.Equal(["units.csv is empty: expected a header line"], Assert.Throws<DatasetException>(() => Read(string.Empty)).Problems);
        Assert.Contains("units.csv has no units", Assert.Throws<DatasetException>(() => Read($"{Header}\n")).Problems);
    }

    [Fact]
    public void DesignDefaultsAndRefusals()
    {
        var defaults = EvaluationDesign.Parse("{}");
        Assert.Equal(0.05, defaults.Alpha);
        Assert.Equal("realised", defaults.PrimaryOutcome);
        Assert.Equal(5, defaults.OutcomeFamily.Count);

        var declared = EvaluationDesign.Parse("""{ "alpha": 0.01, "primaryWave": 2, "outcomeFamily": ["realised", "full"] }""");
        Assert.Equal(0.01, declared.Alpha);
        Assert.Equal(2, declared.PrimaryWave);

        Assert.Contains("design.json", Assert.Throws<DatasetException>(() => EvaluationDesign.Parse("""{ "alfa": 0.01 }""")).Message);
        Assert.Contains("alpha", Assert.Throws<DatasetException>(() => EvaluationDesign.Parse("""{ "alpha": 0.7 }""")).Message);
        Assert.Contains("distinct", Assert.Throws<DatasetException>(() => EvaluationDesign.Parse("""{ "outcomeFamily": ["full", "full"] }""")).Message);
        Assert.Throws<DatasetException>(() => EvaluationDesign.Parse("not json"));
    }

    /// <summary>design.json declares the primary question before the data: a reader must not be able to read another question into it.</summary>
    [Theory]
    [InlineData("""{ "primaryOutcome": "full", "primaryOutcome": "realised" }""", "Duplicate property 'primaryOutcome'")]
    [InlineData("""{ "primaryOutcome": "full", "PrimaryOutcome": "realised" }""", "'PrimaryOutcome'")]
    [InlineData("""{ "Alpha": 0.2 }""", "'Alpha'")]
    [InlineData("""{ "alpha": "0.2" }""", "$.alpha")]
    [InlineData("""{ "outcomeFamily": null }""", "'outcomeFamily'")]
    [InlineData("""{ "alpha": 0.05 /* as planned */ }""", "'/' is invalid")]
    public void DesignIsReadStrictly(string json, string named)
    {
        var problem = Assert.Throws<DatasetException>(() => EvaluationDesign.Parse(json)).Message;

        Assert.StartsWith("design.json", problem, StringComparison.Ordinal);
        Assert.True(problem.Contains(named, StringComparison.Ordinal), problem);
    }

    private static EvaluationDataset Read(string csv) => EvaluationInput.FromBytes(Encoding.UTF8.GetBytes(csv), new EvaluationDesign()).Dataset;
}

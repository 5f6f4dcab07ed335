using System.Text;
using CsCheck;
using Grants.Evaluation.Csv;

namespace Grants.Evaluation.Tests;

/// <summary>The one CSV writer and reader of the system: RFC 4180 as the export and the monitoring figures have always been written.</summary>
public sealed class CsvTableTests
{
    /// <summary>Fields made of the characters that matter to CSV: separators, quotes, both line breaks, spaces and non-ASCII text.</summary>
    private static readonly Gen<string> Field = Gen.String[Gen.Char["ab1,\"\r\n é€"], 0, 6];

    private static readonly Gen<(string[] Header, string[][] Rows)> Tables =
        Gen.Int[1, 5].SelectMany(columns => Gen.Select(Field.Array[columns], Field.Array[columns].Array[0, 6]));

    /// <summary>RFC 4180 spelled out: a field with a comma, a quote, CR or LF goes in quotes with its quotes doubled; LF after every record.</summary>
    private static string Rfc4180(IEnumerable<IReadOnlyList<string>> records) =>
        string.Concat(records.Select(r => string.Join(',', r.Select(f => f.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{f.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : f)) + "\n"));

    [Fact]
    public void OrdinaryValuesAreWrittenAsTheyWereBeforeTheLibrary()
    {
        var text = CsvTable.Write(["unit_id", "round_id", "stratum", "p_assign", "w1_spend"], [["U-000001", "R-2009-1", "north", "0.5", "12.5"], ["U-000002", "R-2009-1", "", "0.3333333333333333", "not_asked"]]);
        Assert.Equal("unit_id,round_id,stratum,p_assign,w1_spend\nU-000001,R-2009-1,north,0.5,12.5\nU-000002,R-2009-1,,0.3333333333333333,not_asked\n", text);
    }

    [Fact]
    public void AFieldWithACommaAQuoteACarriageReturnOrALineFeedIsQuoted()
    {
        var text = CsvTable.Write(["answer"], [["a,b"], ["say \"yes\""], ["carriage\rreturn"], ["line\nfeed"], ["both\r\n"], [" spaced "], [""]]);
        Assert.Equal("answer\n\"a,b\"\n\"say \"\"yes\"\"\"\n\"carriage\rreturn\"\n\"line\nfeed\"\n\"both\r\n\"\n spaced \n\n", text);
    }

    [Fact]
    public void TheUtf8FormHasNoByteOrderMark()
    {
        var bytes = CsvTable.WriteUtf8(["sector"], [["zorg €"]]);
        Assert.Equal(Encoding.UTF8.GetBytes("sector\nzorg €\n"), bytes);
    }

    [Fact]
    public void EveryTableIsWrittenByTheRuleAndReadBackAsItWas() =>
        Tables.Sample(table =>
        {
            IReadOnlyList<string>[] records = [table.Header, .. table.Rows];
            var text = CsvTable.Write(table.Header, table.Rows);
            Assert.Equal(Rfc4180(records), text);
            var read = CsvTable.Read(new StringReader(text)).Select(r => r.Fields).ToArray();
            Assert.Equal(records.Length, read.Length);
            for (var i = 0; i < records.Length; i++)
            {
                Assert.Equal(records[i], read[i]);
            }
        });

    [Fact]
    public void RecordsCarryTheLineTheyStartOnCountingLinesInsideQuotes()
    {
        var records = CsvTable.Read(new StringReader("a,b\r\n\"two\nlines\",x\r\n\r\nlast,\"\"\"quoted\"\"\"")).ToArray();
        Assert.Equal([1, 2, 4, 5], records.Select(r => r.Line));
        Assert.Equal(["two\nlines", "x"], records[1].Fields);
        Assert.Equal([""], records[2].Fields);
        Assert.Equal(["last", "\"quoted\""], records[3].Fields);
    }

    [Theory]
    [InlineData("a,b\n1,\"2\n3,4\n", 2)]
    [InlineData("a,b\n1,2\n3,\"4", 3)]
    [InlineData("\"a,b\n1,2\n", 1)]
    public void AQuotedFieldLeftOpenIsRefusedAtTheLineWhereItsRecordStarts(string text, int line)
    {
        var error = Assert.Throws<CsvFormatException>(() => CsvTable.Read(new StringReader(text)).ToArray());
        Assert.Equal(line, error.Line);
        Assert.Equal($"line {line}: a quoted field is not closed", error.Message);
    }
}

using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace Grants.Evaluation.Csv;

/// <summary>
/// Every CSV file the system reads or writes, through one library (Sep; docs/decisions/0015): RFC 4180,
/// comma-separated, a field in double quotes when it holds a comma, a quote, CR or LF, with a quote inside
/// doubled. Written with LF line ends and no byte order mark; read with CRLF, LF or CR line ends.
/// </summary>
public static class CsvTable
{
    private static readonly Sep Comma = Sep.New(',');

    /// <summary>The header and the rows as CSV text; every row must have as many fields as the header.</summary>
    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using (var writer = Comma.Writer(o => o with { WriteHeader = false, Escape = true }).To(text, leaveOpen: true))
        {
            WriteRow(writer, header);
            foreach (var row in rows)
            {
                WriteRow(writer, row);
            }
        }

        return text.ToString();
    }

    /// <summary><see cref="Write"/> as UTF-8 bytes without a byte order mark, as the evaluator export stores its files.</summary>
    public static byte[] WriteUtf8(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) =>
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Write(header, rows));

    /// <summary>
    /// The records of CSV text, each with the line it starts on (lines inside quoted fields count) and its
    /// fields unquoted. An empty line is a record of one empty field. A quoted field still open at the end
    /// of the text is refused with <see cref="CsvFormatException"/>.
    /// </summary>
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader text)
    {
        using var reader = Comma.Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text, leaveOpen: true);
        var first = true;
        while (reader.MoveNext())
        {
            var record = Take(reader.Current, first);
            first = false;
            yield return record;
        }
    }

    private static (int Line, string[] Fields) Take(SepReader.Row row, bool first)
    {
        // Sep reports the first record as starting on the line where it ends; every file starts on line 1.
        var line = first ? 1 : row.LineNumberFrom;

        // A record ends at a line break outside quotes, so only one that runs to the end of the text can
        // hold an odd number of quotes: one whose quoted field was never closed (Sep would read it to the end).
        if (row.Span.Count('"') % 2 != 0)
        {
            throw new CsvFormatException(line, $"line {line}: a quoted field is not closed");
        }

        var fields = new string[row.ColCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = row[i].ToString();
        }

        return (line, fields);
    }

    private static void WriteRow(SepWriter writer, IReadOnlyList<string> fields)
    {
        using var row = writer.NewRow();
        for (var i = 0; i < fields.Count; i++)
        {
            row[i].Set(fields[i]);
        }
    }
}

/// <summary>CSV text that breaks RFC 4180, at the line where its record starts.</summary>
public sealed class CsvFormatException(int line, string message) : FormatException(message)
{
    public int Line { get; } = line;
}

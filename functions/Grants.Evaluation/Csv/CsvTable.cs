using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace Grants.Evaluation.Csv;

/// <summary>
/// Every CSV file the system writes, through one library (Sep): RFC 4180, comma-separated, a field in
/// double quotes when it holds a comma, a quote, CR or LF, with a quote inside doubled; LF line ends
/// and no byte order mark.
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

    private static void WriteRow(SepWriter writer, IReadOnlyList<string> fields)
    {
        using var row = writer.NewRow();
        for (var i = 0; i < fields.Count; i++)
        {
            row[i].Set(fields[i]);
        }
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Grants.Tests;

/// <summary>
/// Builds PDF files object by object, the way PDF 1.5 writers do: objects numbered from 1 (the first is the
/// root), streams with their length, object streams, and a cross-reference stream with a PNG predictor.
/// Bytes are written as Latin-1, so a string may carry any byte.
/// </summary>
public sealed class PdfFileBuilder
{
    private readonly MemoryStream _file = new();
    private readonly List<(long Offset, int InStream, int Index)> _entries = [];

    public PdfFileBuilder(string header = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n") => Raw(header);

    public PdfFileBuilder Object(string body)
    {
        _entries.Add((_file.Position, 0, 0));
        return Raw($"{_entries.Count} 0 obj\n{body}\nendobj\n");
    }

    /// <param name="entries">The dictionary's entries other than /Length.</param>
    /// <param name="afterKeyword">What ends the <c>stream</c> line: readers take CR LF, LF or a lone CR.</param>
    public PdfFileBuilder Stream(string entries, byte[] data, string afterKeyword = "\n")
    {
        _entries.Add((_file.Position, 0, 0));
        Raw($"{_entries.Count} 0 obj\n<< {entries} /Length {data.Length} >>\nstream{afterKeyword}");
        _file.Write(data);
        return Raw("\nendstream\nendobj\n");
    }

    /// <summary>An object stream holding <paramref name="objects"/>, encoded by <paramref name="encode"/> as <paramref name="filter"/> says.</summary>
    public PdfFileBuilder ObjectStream(IReadOnlyList<string> objects, string filter = "/Filter /FlateDecode", Func<byte[], byte[]>? encode = null, string type = "/Type /ObjStm ")
    {
        var number = _entries.Count + objects.Count + 1;
        var header = new StringBuilder();
        var body = new StringBuilder();
        for (var i = 0; i < objects.Count; i++)
        {
            _entries.Add((0, number, i));
            header.Append(CultureInfo.InvariantCulture, $"{_entries.Count} {body.Length} ");
            body.Append(objects[i]).Append('\n');
        }

        var content = Latin1($"{header}{body}");
        return Stream($"{type}/N {objects.Count} /First {header.Length} {filter}", (encode ?? PdfEncode.Flate)(content));
    }

    /// <summary>The file as far as it is written, without its end: a truncated upload.</summary>
    public byte[] BytesSoFar() => _file.ToArray();

    public PdfFileBuilder Raw(string text)
    {
        _file.Write(Latin1(text));
        return this;
    }

    /// <summary>Ends the file with a cross-reference stream (7-byte rows, PNG Up predictor), startxref and %%EOF.</summary>
    public byte[] Build()
    {
        var at = _file.Position;
        var size = _entries.Count + 2;
        var rows = new byte[size * 7];
        void Row(int i, int type, long field2, int field3)
        {
            rows[i * 7] = (byte)type;
            for (var k = 0; k < 4; k++)
            {
                rows[(i * 7) + 1 + k] = (byte)(field2 >> (24 - (8 * k)));
            }

            rows[(i * 7) + 5] = (byte)(field3 >> 8);
            rows[(i * 7) + 6] = (byte)field3;
        }

        Row(0, 0, 0, 0xFFFF);
        for (var i = 0; i < _entries.Count; i++)
        {
            var (offset, inStream, index) = _entries[i];
            if (inStream == 0)
            {
                Row(i + 1, 1, offset, 0);
            }
            else
            {
                Row(i + 1, 2, inStream, index);
            }
        }

        Row(size - 1, 1, at, 0);
        var xref = PdfEncode.Flate(PdfEncode.PngRows(rows, columns: 7, type: 2));
        Raw($"{size - 1} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length {xref.Length} >>\nstream\n");
        _file.Write(xref);
        Raw($"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n");
        return _file.ToArray();
    }

    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}

/// <summary>The encodings of PDF stream filters (ISO 32000-1 §7.4), written independently of the code under test.</summary>
public static class PdfEncode
{
    public static byte[] Flate(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }

    public static byte[] AsciiHex(byte[] data) => PdfFileBuilder.Latin1(string.Join('\n', Convert.ToHexString(data).Chunk(64).Select(c => new string(c))) + ">");

    public static byte[] Ascii85(byte[] data)
    {
        var text = new StringBuilder();
        for (var at = 0; at < data.Length; at += 4)
        {
            var count = Math.Min(4, data.Length - at);
            uint group = 0;
            for (var k = 0; k < 4; k++)
            {
                group = (group << 8) | (k < count ? data[at + k] : 0u);
            }

            if (group == 0 && count == 4)
            {
                text.Append('z');
                continue;
            }

            var digits = new char[5];
            for (var k = 4; k >= 0; k--)
            {
                digits[k] = (char)('!' + (group % 85));
                group /= 85;
            }

            text.Append(digits, 0, count + 1);
        }

        return PdfFileBuilder.Latin1(text.Append("~>").ToString());
    }

    /// <summary>PNG-filtered rows of <paramref name="columns"/> bytes each (one byte per pixel unless <paramref name="pixel"/> says), each row with <paramref name="type"/> (0 to 4), or types in turn if -1.</summary>
    public static byte[] PngRows(byte[] data, int columns, int type, int pixel = 1)
    {
        var padded = new byte[(data.Length + columns - 1) / columns * columns];
        data.CopyTo(padded, 0);
        var rows = new List<byte>();
        var above = new byte[columns];
        for (var r = 0; r < padded.Length / columns; r++)
        {
            var row = padded.AsSpan(r * columns, columns);
            var rowType = type >= 0 ? type : r % 5;
            rows.Add((byte)rowType);
            for (var i = 0; i < columns; i++)
            {
                int left = i >= pixel ? row[i - pixel] : 0, up = above[i], upLeft = i >= pixel ? above[i - pixel] : 0;
                var predicted = rowType switch
                {
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => PaethOf(left, up, upLeft),
                    _ => 0,
                };
                rows.Add((byte)(row[i] - predicted));
            }

            row.CopyTo(above);
        }

        return [.. rows];
    }

    /// <summary>TIFF predictor 2, 8-bit components: each byte minus the same component of the pixel before it in its row.</summary>
    public static byte[] TiffRows(byte[] data, int colors, int columns)
    {
        var width = colors * columns;
        var padded = new byte[(data.Length + width - 1) / width * width];
        data.CopyTo(padded, 0);
        var encoded = new byte[padded.Length];
        for (var i = 0; i < padded.Length; i++)
        {
            encoded[i] = (byte)(padded[i] - (i % width >= colors ? padded[i - colors] : 0));
        }

        return encoded;
    }

    /// <summary>A zlib stream of uncompressed deflate blocks, one per part: each part's bytes appear as they are, between block headers.</summary>
    public static byte[] StoredDeflate(params byte[][] parts)
    {
        var output = new List<byte> { 0x78, 0x01 };
        for (var p = 0; p < parts.Length; p++)
        {
            var length = parts[p].Length;
            output.Add(p == parts.Length - 1 ? (byte)1 : (byte)0);
            output.AddRange([(byte)length, (byte)(length >> 8), (byte)~length, (byte)(~length >> 8)]);
            output.AddRange(parts[p]);
        }

        uint a = 1, b = 0;
        foreach (var x in parts.SelectMany(p => p))
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        var adler = (b << 16) | a;
        output.AddRange([(byte)(adler >> 24), (byte)(adler >> 16), (byte)(adler >> 8), (byte)adler]);
        return [.. output];
    }

    private static int PaethOf(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        int toLeft = Math.Abs(estimate - left), toUp = Math.Abs(estimate - up), toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
}

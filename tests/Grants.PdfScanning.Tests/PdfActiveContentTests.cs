using System.Text;
using Grants.Tests;

namespace Grants.PdfScanning.Tests;

public sealed class PdfActiveContentTests
{
    private const string Script = "<< /Type /Action /S /JavaScript /JS (app.launchURL\\('https://evil.example'\\)) >>";
    private const string Pages = "<< /Type /Pages /Kids [] /Count 0 >>";

    /// <summary>Small limits, so that every block split of a file can be tried quickly.</summary>
    private static readonly PdfInflateLimits Small = new(PerStream: 64 * 1024, Total: 256 * 1024);

    private sealed record Verdict(string? Found, string? Obscured);

    private static Verdict ScanInBlocks(byte[] bytes, int blockSize, PdfInflateLimits? limits = null)
    {
        using var scanner = new PdfActiveContent(limits ?? Small);
        for (var at = 0; at < bytes.Length; at += blockSize)
        {
            scanner.Scan(bytes.AsSpan(at, Math.Min(blockSize, bytes.Length - at)));
        }

        scanner.Complete();
        return new Verdict(scanner.Found, scanner.Obscured);
    }

    /// <summary>Every block size up to the file's length for small files; for larger ones, small sizes and a spread of others.</summary>
    private static IEnumerable<int> BlockSizes(byte[] bytes) =>
        bytes.Length <= 2048
            ? Enumerable.Range(1, bytes.Length)
            : [.. Enumerable.Range(1, 64), 97, 128, 251, 256, 1000, 1021, 4096, 65536, bytes.Length];

    [Theory]
    [InlineData("<< /S /JavaScript /JS (x) >>", "/JavaScript")]
    [InlineData("<< /Type /Action /S /Launch /F (cmd.exe) >>", "/Launch")]
    [InlineData("<< /Type /EmbeddedFile /Length 5 >>", "/EmbeddedFile")]
    [InlineData("<< /AcroForm << /XFA 12 0 R >> >>", "/XFA")]
    [InlineData("<</RichMedia<<>>>>", "/RichMedia")]
    [InlineData("<< /S /J#61vaScript >>", "/JavaScript")]
    [InlineData("<< /S /#4Aava#53cript >>", "/JavaScript")]
    [InlineData("<< /S /#4a#61#76#61#53#63#72#69#70#74 >>", "/JavaScript")]
    [InlineData("<< /S /L#61unch >>", "/Launch")]
    [InlineData("<< /Type /Embedded#46ile >>", "/EmbeddedFile")]
    [InlineData("<< /AcroForm << /#58#46#41 12 0 R >> >>", "/XFA")]
    [InlineData("<</RichMedi#61<<>>>>", "/RichMedia")]
    public void FindsActiveNamesWhereverABlockBoundaryFalls(string dictionary, string name)
    {
        var bytes = Encoding.ASCII.GetBytes($"%PDF-1.7\n1 0 obj {dictionary} endobj\n%%EOF\n");
        for (var blockSize = 1; blockSize <= bytes.Length; blockSize++)
        {
            Assert.Equal(new Verdict(name, null), ScanInBlocks(bytes, blockSize));
        }
    }

    [Theory]
    [InlineData("<< /JavaScriptX 1 >>")]
    [InlineData("<< /Launcher 1 >>")]
    [InlineData("<< /Type /Catalog /OpenAction [3 0 R /Fit] >>")]
    [InlineData("(text about JavaScript and Launch)")]
    [InlineData("<< /J#61vaScriptX 1 >>")]
    [InlineData("<< /JavaScrip#74#58 1 >>")]
    [InlineData("<< /A#2FJavaScript 1 >>")]
    [InlineData("<< /Java#20Script 1 >>")]
    [InlineData("<< /J#GavaScript 1 >>")]
    [InlineData("<< /JavaScript#2 1 >>")]
    [InlineData("<< /Launch# 1 >>")]
    public void LeavesOtherNamesAlone(string content)
    {
        var bytes = Encoding.ASCII.GetBytes($"%PDF-1.7\n1 0 obj {content} endobj\n%%EOF\n");
        for (var blockSize = 1; blockSize <= bytes.Length; blockSize++)
        {
            Assert.Equal(new Verdict(null, null), ScanInBlocks(bytes, blockSize));
        }
    }

    private static readonly Dictionary<string, (string Name, Func<byte[]> Pdf)> Hidden = new()
    {
        ["object stream, Flate"] = ("/JavaScript", () => Catalog().ObjectStream([Script]).Build()),
        ["object stream, Flate, escaped name"] = ("/JavaScript", () => Catalog().ObjectStream(["<< /S /J#61va#53cript /JS (x) >>"]).Build()),
        ["object stream, Flate, /XFA in a form"] = ("/XFA", () => Catalog().ObjectStream(["<< /Fields [] /XFA 9 0 R >>"]).Build()),
        ["object stream, Flate, /Launch among ordinary objects"] = ("/Launch", () => Catalog().ObjectStream(["<< /Type /Pages /Kids [] /Count 0 >>", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", "<< /S /Launch /F (cmd.exe) >>"]).Build()),
        ["object stream, Flate, abbreviated"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /Fl").Build()),
        ["object stream, Flate, filter name escaped"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /Fl#61teDecode").Build()),
        ["object stream, Flate, filter in an array"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter [/FlateDecode]").Build()),
        ["object stream, Flate twice"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter [/FlateDecode /FlateDecode]", d => PdfEncode.Flate(PdfEncode.Flate(d))).Build()),
        ["object stream, ASCIIHex"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /ASCIIHexDecode", PdfEncode.AsciiHex).Build()),
        ["object stream, ASCIIHex then Flate"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter [/AHx /Fl]", d => PdfEncode.AsciiHex(PdfEncode.Flate(d))).Build()),
        ["object stream, ASCII85 then Flate"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter [/ASCII85Decode /FlateDecode]", d => PdfEncode.Ascii85(PdfEncode.Flate(d))).Build()),
        ["object stream, Flate then ASCII85"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter [/FlateDecode /A85]", d => PdfEncode.Flate(PdfEncode.Ascii85(d))).Build()),
        ["object stream, Flate, PNG Up predictor"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >>", d => PdfEncode.Flate(PdfEncode.PngRows(d, 5, type: 2))).Build()),
        ["object stream, Flate, PNG Sub predictor, 3 colours"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 11 /Colors 3 /Columns 4 >>", d => PdfEncode.Flate(PdfEncode.PngRows(d, 12, type: 1, pixel: 3))).Build()),
        ["object stream, Flate, PNG Average predictor"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 13 /Columns 9 >>", d => PdfEncode.Flate(PdfEncode.PngRows(d, 9, type: 3))).Build()),
        ["object stream, Flate, PNG Paeth predictor, 2 colours"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 14 /Colors 2 /Columns 3 >>", d => PdfEncode.Flate(PdfEncode.PngRows(d, 6, type: 4, pixel: 2))).Build()),
        ["object stream, Flate, PNG predictor, every type in turn"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 15 /Columns 7 >>", d => PdfEncode.Flate(PdfEncode.PngRows(d, 7, type: -1))).Build()),
        ["object stream, Flate, TIFF predictor"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 2 /Colors 3 /Columns 5 >>", d => PdfEncode.Flate(PdfEncode.TiffRows(d, 3, 5))).Build()),
        ["object stream, Flate, second filter's parameters"] = ("/JavaScript", () => Catalog().ObjectStream([Script], "/Filter [/AHx /Fl] /DecodeParms [null << /Predictor 12 /Columns 6 >>]", d => PdfEncode.AsciiHex(PdfEncode.Flate(PdfEncode.PngRows(d, 6, type: 2)))).Build()),
        ["object stream without /Type"] = ("/JavaScript", () => Catalog().ObjectStream([Script], type: "").Build()),
        ["object stream, CR LF after the keyword"] = ("/JavaScript", () => Catalog().Stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", PdfEncode.Flate(PdfFileBuilder.Latin1($"2 0 {Script}")), afterKeyword: "\r\n").Build()),
        ["object stream, lone CR after the keyword"] = ("/JavaScript", () => Catalog().Stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", PdfEncode.Flate(PdfFileBuilder.Latin1($"2 0 {Script}")), afterKeyword: "\r").Build()),
        ["object stream, spaces before the line end"] = ("/JavaScript", () => Catalog().Stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", PdfEncode.Flate(PdfFileBuilder.Latin1($"2 0 {Script}")), afterKeyword: "  \r\n").Build()),
        ["dictionary with comments, nested dictionaries and strings"] = ("/JavaScript", () => Catalog().Stream("/Type /ObjStm %a comment with << and ( \n/N 1 /First 4 /X << /Y [1 (a (nested) \\) string) <4142>] >> /Filter /FlateDecode /Z 3 0 R", PdfEncode.Flate(PdfFileBuilder.Latin1($"2 0 {Script}"))).Build()),
        ["page content stream, Flate"] = ("/JavaScript", () => Catalog().Stream("/Filter /FlateDecode", PdfEncode.Flate(PdfFileBuilder.Latin1("BT /F1 12 Tf (x) Tj ET /JavaScript BMC EMC"))).Build()),
        // The data spells "endstream" and starts another stream before the script; a reader going by /Length reads on, and so must the check.
        ["object stream whose data holds a false end and a false new stream"] = ("/JavaScript", () => Catalog().Stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", PdfEncode.StoredDeflate(
            PdfFileBuilder.Latin1("2 0 \nendstream\nendobj\n3 0 obj << /Length 3 >> stream\nabc\nendstream\nendobj\n<< /S /JavaSc"),
            PdfFileBuilder.Latin1("ript /JS (x) >>"))).Build()),
    };

    public static TheoryData<string> HiddenCases => [.. Hidden.Keys];

    [Theory]
    [MemberData(nameof(HiddenCases))]
    public void FindsActiveNamesInsideEncodedStreamsWhereverABlockBoundaryFalls(string hidden)
    {
        var (name, build) = Hidden[hidden];
        var bytes = build();
        // The name is not in the bytes as written: only decoding finds it.
        Assert.DoesNotContain(name, Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        foreach (var blockSize in BlockSizes(bytes))
        {
            Assert.Equal(new Verdict(name, null), ScanInBlocks(bytes, blockSize));
        }
    }

    private static readonly Dictionary<string, (string Reason, Func<byte[]> Pdf)> Unseeable = new()
    {
        ["object stream compressed with LZW"] = ("/LZWDecode", () => Catalog().ObjectStream([Script], "/Filter /LZWDecode", d => RandomBytes(d.Length, seed: 1)).Build()),
        ["object stream compressed with RunLength"] = ("/RunLengthDecode", () => Catalog().ObjectStream([Script], "/Filter /RL", d => RandomBytes(d.Length, seed: 2)).Build()),
        ["object stream behind a filter given by reference"] = ("not a name", () => Catalog().ObjectStream([Script], "/Filter 9 0 R").Build()),
        ["object stream through five filters"] = ("more filters than the check follows", () => Catalog().ObjectStream([Script], "/Filter [/Fl /Fl /Fl /Fl /Fl]", d => Enumerable.Range(0, 5).Aggregate(d, (data, _) => PdfEncode.Flate(data))).Build()),
        ["object stream with a 16-bit TIFF predictor"] = ("predictor 2", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 2 /BitsPerComponent 16 /Columns 4 >>").Build()),
        ["object stream with a predictor given by reference"] = ("predictor 0", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 7 0 R /Columns 4 >>").Build()),
        ["object stream with rows too long to undo"] = ("predictor 12", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 100000 >>").Build()),
        ["object stream encrypted (its data is not zlib)"] = ("does not decode", () => Catalog().ObjectStream([Script], encode: d => RandomBytes(d.Length + 16, seed: 7)).Build()),
        ["object stream whose zlib checksum is wrong"] = ("does not decode", () => Catalog().ObjectStream([Pages], encode: d => Damaged(PdfEncode.Flate(d), fromEnd: 1)).Build()),
        ["object stream damaged in the middle"] = ("does not decode", () => Catalog().ObjectStream([Pages, Pages, Pages], encode: d => Damaged(PdfEncode.Flate(d), fromEnd: 20)).Build()),
        ["object stream with a bad PNG row type"] = ("does not decode", () => Catalog().ObjectStream([Script], "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >>", d => PdfEncode.Flate([9, .. PdfEncode.PngRows(d, 5, type: 2)[1..]])).Build()),
        ["object stream cut off by the end of the file"] = ("does not decode", () => Catalog().Raw("2 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n").Raw(Encoding.Latin1.GetString(PdfEncode.Flate(PdfFileBuilder.Latin1($"3 0 {Pages}"))[..12])).BytesSoFar()),
        ["compressed stream past the per-stream limit"] = ("expands past 64 KiB", () => Catalog().ObjectStream([new string(' ', 70 * 1024) + Script]).Build()),
        ["compressed streams past the total limit"] = ("expand past 256 KiB in all", () => Enumerable.Range(0, 5).Aggregate(Catalog(), (pdf, _) => pdf.Stream("/Filter /FlateDecode", PdfEncode.Flate(new byte[60 * 1024]))).Build()),
        // The comment in the string hides the string's end from a parse that starts inside it, which then reads an image.
        ["dictionary that reads two ways"] = ("reads two ways", () => Catalog().Stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /X (<< /Subtype /Image /Filter /DCTDecode %)\n", PdfEncode.Flate(PdfFileBuilder.Latin1($"2 0 {Script}"))).Build()),
        ["compressed data behind a dictionary longer than the check reads"] = ("dictionary cannot be read", () => Catalog().Stream($"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Padding ({new string('x', 5000)})", PdfEncode.Flate(PdfFileBuilder.Latin1($"2 0 {Script}"))).Build()),
        ["five object streams open at once"] = ("more than 4 object streams", () => Enumerable.Range(0, 5).Aggregate(Catalog(), (pdf, _) => pdf.Raw("9 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n").Raw("\u0078\u0001\u0000\u00ff\u00ff\u0000\u0000")).Build()),
    };

    public static TheoryData<string> UnseeableCases => [.. Unseeable.Keys];

    [Theory]
    [MemberData(nameof(UnseeableCases))]
    public void RefusesWhatItCannotSeeIntoWhereverABlockBoundaryFalls(string unseeable)
    {
        var (reason, build) = Unseeable[unseeable];
        var bytes = build();
        foreach (var blockSize in BlockSizes(bytes))
        {
            var verdict = ScanInBlocks(bytes, blockSize);
            Assert.Null(verdict.Found);
            Assert.Contains(reason, verdict.Obscured ?? "(not refused)", StringComparison.Ordinal);
        }
    }

    private static readonly Dictionary<string, Func<byte[]>> Ordinary = new()
    {
        ["a stream just at the per-stream limit"] = () => Catalog().Stream("/Filter /FlateDecode", PdfEncode.Flate(new byte[64 * 1024])).Build(),
        ["streams just under the total limit"] = () => Enumerable.Range(0, 4).Aggregate(Catalog(), (pdf, _) => pdf.Stream("/Filter /FlateDecode", PdfEncode.Flate(new byte[63 * 1024]))).Build(),
        ["a content stream that does not decode"] = () => Catalog().Stream("/Filter /FlateDecode", RandomBytes(500, seed: 3)).Build(),
        ["a content stream compressed with LZW"] = () => Catalog().Stream("/Filter /LZWDecode", RandomBytes(500, seed: 4)).Build(),
        ["a JPEG image"] = () => Catalog().Stream("/Type /XObject /Subtype /Image /Width 8 /Height 8 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode", RandomBytes(2000, seed: 5)).Build(),
        // Pixels are never read as PDF syntax, so images are not inflated, even when their bytes spell a name.
        ["a Flate image whose pixels spell a name"] = () => Catalog().Stream("/Type /XObject /Subtype /Image /Width 16 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", PdfEncode.Flate(PdfFileBuilder.Latin1("/JavaScript 0000"))).Build(),
        ["an image larger than the limits"] = () => Catalog().Stream("/Type /XObject /Subtype /Image /Width 1024 /Height 1024 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", PdfEncode.Flate(new byte[1024 * 1024])).Build(),
        ["the word stream in a string"] = () => Catalog().Object("<< /Title (a stream\nof revenue) >>").Build(),
        ["an uncompressed stream"] = () => Catalog().Stream("", PdfFileBuilder.Latin1("BT /F1 12 Tf (stream) Tj ET")).Build(),
        ["an ordinary plan with compressed pages"] = TestPdf.Plan,
    };

    public static TheoryData<string> OrdinaryCases => [.. Ordinary.Keys];

    [Theory]
    [MemberData(nameof(OrdinaryCases))]
    public void PassesOrdinaryFilesWhereverABlockBoundaryFalls(string ordinary)
    {
        var bytes = Ordinary[ordinary]();
        foreach (var blockSize in BlockSizes(bytes))
        {
            Assert.Equal(new Verdict(null, null), ScanInBlocks(bytes, blockSize));
        }
    }

    [Fact]
    public void AnOrdinaryPlanPassesWithTheDefaultLimits()
    {
        using var scanner = new PdfActiveContent();
        scanner.Scan(TestPdf.Plan());
        scanner.Complete();
        Assert.False(scanner.Refused, scanner.Found ?? scanner.Obscured);
    }

    [Fact]
    public void AZipBombInAnObjectStreamIsRefusedAtTheDefaultLimit()
    {
        // 80 MiB of spaces before the script compress to well under 1 MiB.
        var content = new byte[80 * 1024 * 1024];
        content.AsSpan().Fill((byte)' ');
        "2 0 "u8.CopyTo(content);
        Encoding.ASCII.GetBytes(Script).CopyTo(content, content.Length - 200);
        var bytes = Catalog().Stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", PdfEncode.Flate(content)).Build();
        Assert.True(bytes.Length < 1024 * 1024);

        var verdict = ScanInBlocks(bytes, 256 * 1024, PdfInflateLimits.Default);

        Assert.Equal(new Verdict(null, "a compressed stream that expands past 64 MiB"), verdict);
    }

    [Fact]
    public void RandomCompressedLookingBytesAreNotMistakenForScripts()
    {
        var bytes = new byte[16 * 1024 * 1024];
        new Random(2008).NextBytes(bytes);
        Assert.Equal(new Verdict(null, null), ScanInBlocks(bytes, 256 * 1024));
    }

    private static PdfFileBuilder Catalog() => new PdfFileBuilder().Object("<< /Type /Catalog /Pages 3 0 R >>");

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Damaged(byte[] bytes, int fromEnd)
    {
        var damaged = (byte[])bytes.Clone();
        damaged[^fromEnd] ^= 0x5A;
        return damaged;
    }
}

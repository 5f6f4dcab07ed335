using System.Text;
using Grants.Functions.Applications.Attachments;

namespace Grants.Functions.Tests.Applications;

public sealed class PdfActiveContentTests
{
    private static string? ScanInBlocks(byte[] bytes, int blockSize)
    {
        var scanner = new PdfActiveContent();
        for (var at = 0; at < bytes.Length; at += blockSize)
        {
            scanner.Scan(bytes.AsSpan(at, Math.Min(blockSize, bytes.Length - at)));
        }

        return scanner.Found;
    }

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
            Assert.Equal(name, ScanInBlocks(bytes, blockSize));
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
            Assert.Null(ScanInBlocks(bytes, blockSize));
        }
    }

    [Fact]
    public void RandomCompressedLookingBytesAreNotMistakenForScripts()
    {
        var bytes = new byte[16 * 1024 * 1024];
        new Random(2008).NextBytes(bytes);
        Assert.Null(ScanInBlocks(bytes, 256 * 1024));
    }
}

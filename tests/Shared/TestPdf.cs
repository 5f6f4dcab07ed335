using System.Globalization;
using System.Text;

namespace Grants.Tests;

/// <summary>Small but well-formed PDF files of any size.</summary>
public static class TestPdf
{
    public static byte[] Create(int size, int seed = 1)
    {
        var head = Encoding.ASCII.GetBytes("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj\n");
        var tail = Encoding.ASCII.GetBytes("\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var bytes = new byte[Math.Max(size, head.Length + tail.Length)];
        new Random(seed).NextBytes(bytes);
        head.CopyTo(bytes, 0);
        tail.CopyTo(bytes, bytes.Length - tail.Length);
        return bytes;
    }

    /// <summary>
    /// A project plan as office software writes it: pages, fonts and metadata in a compressed object
    /// stream, compressed page content, a Flate image and a JPEG, an ICC profile and XMP metadata.
    /// </summary>
    public static byte[] Plan()
    {
        var text = new StringBuilder();
        for (var line = 0; line < 200; line++)
        {
            text.Append(CultureInfo.InvariantCulture, $"BT /F1 11 Tf 72 {760 - (line % 50 * 14)} Td (Projectplan werkplekinnovatie, regel {line}: streams of work, launch in 2009, \\(JavaScript-free\\)) Tj ET\n");
            text.Append(CultureInfo.InvariantCulture, $"q 0.5 0 0 RG {line} {line} m {line + 100} {line + 40} l S Q /Im1 Do\n");
        }

        var pixels = new byte[64 * 64 * 3];
        new Random(2008).NextBytes(pixels);
        return new PdfFileBuilder()
            .Object("<< /Type /Catalog /Pages 3 0 R /Metadata 10 0 R /Lang (nl-NL) /MarkInfo << /Marked true >> >>")
            .Object("<< /Producer (Writer) /Title (Projectplan) /CreationDate (D:20080301120000+01'00') >>")
            .ObjectStream(
            [
                "<< /Type /Pages /Kids [5 0 R] /Count 1 /MediaBox [0 0 595.28 841.89] >>",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
                "<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 8 0 R /Im2 9 0 R >> /ColorSpace << /CS0 [/ICCBased 11 0 R] >> >> /Contents 7 0 R /Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A << /S /URI /URI (https://www.example.org/) >> >>] >>",
            ],
            "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 8 >>",
            d => PdfEncode.Flate(PdfEncode.PngRows(d, 8, type: 2)))
            .Stream("/Filter /FlateDecode", PdfEncode.Flate(Encoding.ASCII.GetBytes(text.ToString())))
            .Stream("/Type /XObject /Subtype /Image /Width 64 /Height 64 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode", PdfEncode.Flate(pixels))
            .Stream("/Type /XObject /Subtype /Image /Width 32 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode", RandomBytes(3000, seed: 2009))
            .Stream("/Type /Metadata /Subtype /XML /Filter /FlateDecode", PdfEncode.Flate(Encoding.UTF8.GetBytes("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></x:xmpmeta><?xpacket end=\"w\"?>")))
            .Stream("/N 3 /Alternate /DeviceRGB /Filter /FlateDecode", PdfEncode.Flate(RandomBytes(2000, seed: 2010)))
            .Build();
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}

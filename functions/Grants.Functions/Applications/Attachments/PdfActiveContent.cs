using System.Text;

namespace Grants.Functions.Applications.Attachments;

/// <summary>
/// Looks for the PDF name objects that make a document act when opened — scripts (<c>/JavaScript</c>:
/// every script action and the document's script name tree carry it), launching programs
/// (<c>/Launch</c>), embedded files (<c>/EmbeddedFile</c>), XML forms and media that run code
/// (<c>/XFA</c>, <c>/RichMedia</c>) — as bytes stream past, across block boundaries. Shorter names
/// such as <c>/JS</c> are left out: three bytes turn up by chance in compressed streams far too often.
/// Assessors open these files; a plan or budget needs none of it. It reads the bytes as written: names
/// hidden inside compressed object streams or spelled with <c>#xx</c> escapes are not seen, so this
/// narrows the risk, it does not remove it
/// (the files are also served with <c>Content-Disposition: attachment</c> and never rendered by Grants).
/// </summary>
public sealed class PdfActiveContent
{
    private static readonly byte[][] Names = [.. new[] { "/JavaScript", "/Launch", "/EmbeddedFile", "/XFA", "/RichMedia" }.Select(Encoding.ASCII.GetBytes)];
    private static readonly int Carry = Names.Max(n => n.Length);
    private readonly byte[] _window = new byte[Carry * 2];
    private int _carried;

    /// <summary>The first active name seen so far, if any.</summary>
    public string? Found { get; private set; }

    public void Scan(ReadOnlySpan<byte> block)
    {
        if (Found is not null || block.IsEmpty)
        {
            return;
        }

        // The seam: the last bytes seen before this block followed by the start of this one.
        var head = block[..Math.Min(Carry, block.Length)];
        head.CopyTo(_window.AsSpan(_carried));
        var seen = _window.AsSpan(0, _carried + head.Length);
        Check(seen, seam: _carried, open: head.Length == block.Length);
        Check(block, seam: 0, open: true);

        // Carry the last bytes of everything seen so far (a block may be shorter than a name).
        var last = block.Length >= Carry ? block[^Carry..] : seen[Math.Max(0, seen.Length - Carry)..];
        last.CopyTo(_window);
        _carried = last.Length;
    }

    /// <param name="seam">Where the new block starts in <paramref name="bytes"/>: only names reaching it count (0: all).</param>
    /// <param name="open">More bytes follow: a name ending the span is decided at the next seam, where the byte after it is visible.</param>
    private void Check(ReadOnlySpan<byte> bytes, int seam, bool open)
    {
        foreach (var name in Names)
        {
            for (var from = 0; Found is null && from < bytes.Length;)
            {
                var at = bytes[from..].IndexOf(name);
                if (at < 0)
                {
                    break;
                }

                var start = from + at;
                var end = start + name.Length;
                var atEnd = end == bytes.Length;
                // A whole name, not the start of a longer one such as /JavaScriptX.
                var whole = atEnd ? !open : !IsRegular(bytes[end]);
                if (whole && (seam == 0 || (start < seam && end >= seam)))
                {
                    Found = Encoding.ASCII.GetString(name);
                }

                from = start + 1;
            }
        }
    }

    /// <summary>PDF regular characters continue a name; whitespace and delimiters end it.</summary>
    private static bool IsRegular(byte b) => b is not (0 or 9 or 10 or 12 or 13 or 32 or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%');
}

namespace Grants.PdfScanning;

/// <summary>
/// Looks for the PDF names that make a document act when opened — scripts (<c>/JavaScript</c>),
/// launching programs (<c>/Launch</c>), embedded files (<c>/EmbeddedFile</c>), XML forms and media that
/// run code (<c>/XFA</c>, <c>/RichMedia</c>) — as the upload's blocks stream past. Assessors open the plans
/// and budgets applicants upload; those need none of it. Names are read with their <c>#xx</c> escapes decoded, in the
/// bytes as written and in the decoded data of every stream that is not an image: Flate (with its PNG or
/// TIFF predictor), ASCIIHex and ASCII85, which is where object streams hide dictionaries.
/// <para>
/// Where it cannot see, it refuses rather than guess (<see cref="Obscured"/>): an object stream it cannot
/// decode to its end (another filter, encryption, damage), compressed data that expands past
/// <see cref="PdfInflateLimits"/> (so padding cannot push a script beyond what is read), a stream
/// dictionary that reads two ways, or compressed data behind a dictionary it cannot read. Streams that
/// hold no objects and use other filters (LZW, RunLength, image codecs) are left as written: their content
/// is never read as dictionaries.
/// </para>
/// <para>
/// Memory stays bounded whatever the file's size: the last <see cref="PdfStreamDictionary.Window"/>
/// bytes for reading stream dictionaries, and at most <see cref="MostOpenStreams"/> streams decoding at
/// once, each through at most four filters (an inflater holds about 64 KiB) with predictor rows of at most
/// <see cref="PdfPredictor.MostRowBytes"/> — under 2 MiB in all. It narrows the risk, it does not remove it (a parser that differs from a reader's can be
/// fooled); the function app also serves the files with <c>Content-Disposition: attachment</c> and never renders them.
/// </para>
/// <para>
/// What it guarantees: whichever way the file is split into blocks, a file it passes carries none of the
/// names above, escaped or not, in its bytes as written nor in what it decodes of any stream that is not an
/// image; object streams it cannot decode to their end, and compressed data past the limits, refuse the file
/// rather than pass it. What it does not do: it is a refusal of active content, not a malware scanner. It
/// knows no signatures and looks for no exploits in fonts, images or the reader that opens the file; it does
/// not check that the bytes are a PDF (<c>%PDF-</c> at the start, <c>%%EOF</c> at the end: the caller does
/// that) or that the file is well formed; and it does not ask what a name is used for, so a harmless use of
/// one is refused too.
/// </para>
/// </summary>
/// <remarks>
/// Use one instance per file: <see cref="Scan"/> each block as it arrives (a block may be any length),
/// stop as soon as <see cref="Refused"/> is true, call <see cref="Complete"/> after the last block and
/// read the verdict from <see cref="Found"/> and <see cref="Obscured"/>. Not thread-safe; dispose it to
/// release the inflaters of streams still open.
/// </remarks>
public sealed class PdfActiveContent(PdfInflateLimits limits) : IDisposable
{
    /// <summary>A PDF writer finishes one stream before the next; more at once are crafted.</summary>
    private const int MostOpenStreams = 4;

    /// <summary>Readers skip to the end of the line after <c>stream</c>; past this, it was no keyword.</summary>
    private const int MostBytesToLineEnd = 256;

    /// <summary>Reading stream dictionaries may cost this, plus <see cref="DictionaryWorkPerByte"/> per byte scanned.</summary>
    private const long InitialDictionaryWork = 1024 * 1024;

    private const int DictionaryWorkPerByte = 32;

    private readonly PdfNameReader _names = new();
    private readonly List<PdfStreamDecoding> _open = [];
    private readonly PdfInflatedTotal _inflated = new(limits.Total);
    private readonly byte[] _recent = new byte[PdfStreamDictionary.Window];
    private readonly byte[] _window = new byte[PdfStreamDictionary.Window];
    private int _recentLength;
    private long _dictionaryWork = InitialDictionaryWork;
    private byte _previous = (byte)'\n';
    private Keyword _keyword;
    private int _spelled;
    private int _toLineEnd;
    private PdfStreamDictionary? _dictionary;
    private int _sniffed = -1;
    private byte _sniffedFirst;
    private bool _completed;

    /// <summary>A check that inflates compressed streams up to <see cref="PdfInflateLimits.Default"/>.</summary>
    public PdfActiveContent()
        : this(PdfInflateLimits.Default)
    {
    }

    private enum Keyword
    {
        None,
        Spelling,
        Spelled,
        AfterReturn,
        ToLineEnd,
    }

    /// <summary>The first active name seen so far, if any.</summary>
    public string? Found { get; private set; }

    /// <summary>Why part of the file cannot be checked, if it cannot: completes "it has …".</summary>
    public string? Obscured { get; private set; }

    /// <summary>Whether the file is refused: an active name was found or part of it cannot be checked.</summary>
    public bool Refused => Found is not null || Obscured is not null;

    /// <summary>Checks the next block of the file; once the file is refused or complete, further blocks are ignored.</summary>
    public void Scan(ReadOnlySpan<byte> block)
    {
        if (Refused || _completed || block.IsEmpty)
        {
            return;
        }

        _names.Read(block);
        Found ??= _names.Found;
        _dictionaryWork += (long)DictionaryWorkPerByte * block.Length;
        // Find each "stream" keyword (a whole word) and the line end after it, where the stream's data
        // begins; bytes up to there go to the streams already decoding, and from there to the new one too.
        var fed = 0;
        for (var i = 0; i < block.Length && !Refused; i++)
        {
            var b = block[i];
            switch (_keyword)
            {
                case Keyword.None:
                    var s = block[i..].IndexOf((byte)'s');
                    if (s < 0)
                    {
                        i = block.Length;
                        break;
                    }

                    i += s;
                    if (!PdfSyntax.IsRegular(i > 0 ? block[i - 1] : _previous))
                    {
                        _keyword = Keyword.Spelling;
                        _spelled = 1;
                    }

                    break;
                case Keyword.Spelling:
                    _keyword = b != "stream"u8[_spelled] ? Keyword.None : ++_spelled == 6 ? Keyword.Spelled : Keyword.Spelling;
                    break;
                case Keyword.Spelled when PdfSyntax.IsRegular(b):
                    // "streams", "streamline": not the keyword.
                    _keyword = Keyword.None;
                    break;
                case Keyword.Spelled:
                    ReadDictionary(Before(block, i - 6));
                    if (b == '\n')
                    {
                        BeginData(block, i + 1, ref fed);
                    }
                    else
                    {
                        _keyword = b == '\r' ? Keyword.AfterReturn : Keyword.ToLineEnd;
                        _toLineEnd = 0;
                    }

                    break;
                case Keyword.AfterReturn:
                    BeginData(block, b == '\n' ? i + 1 : i, ref fed);
                    break;
                case Keyword.ToLineEnd when b == '\n':
                    BeginData(block, i + 1, ref fed);
                    break;
                case Keyword.ToLineEnd when b == '\r':
                    _keyword = Keyword.AfterReturn;
                    break;
                case Keyword.ToLineEnd:
                    _keyword = ++_toLineEnd > MostBytesToLineEnd ? Keyword.None : Keyword.ToLineEnd;
                    break;
            }
        }

        Feed(block[fed..]);
        KeepRecent(block);
        _previous = block[^1];
    }

    /// <summary>The upload has ended: decide on names and streams that reach the end.</summary>
    public void Complete()
    {
        if (Refused || _completed)
        {
            return;
        }

        _completed = true;
        _names.Finish();
        Found ??= _names.Found;
        foreach (var decoding in _open)
        {
            decoding.End();
            Judge(decoding);
        }

        Close(_open);
    }

    /// <summary>Releases the inflaters of streams still decoding.</summary>
    public void Dispose() => Close(_open);

    private void ReadDictionary(ReadOnlySpan<byte> before)
    {
        _dictionary = null;
        if (_dictionaryWork <= 0)
        {
            Obscured = "more stream dictionaries than the check reads";
            return;
        }

        _dictionary = PdfStreamDictionary.Read(before, ref _dictionaryWork, out var ambiguous);
        if (ambiguous)
        {
            Obscured = "a stream dictionary that reads two ways";
        }
    }

    private void BeginData(ReadOnlySpan<byte> block, int at, ref int fed)
    {
        _keyword = Keyword.None;
        if (Refused)
        {
            return;
        }

        Feed(block[fed..at]);
        fed = at;
        _sniffed = -1;
        if (_dictionary is not { } dictionary)
        {
            // Unreadable: compressed data behind it is refused, anything else (a "stream" in prose) left.
            _sniffed = 0;
            return;
        }

        if (dictionary.IsImage && !dictionary.HoldsObjects)
        {
            return;
        }

        if (dictionary.HoldsObjects && dictionary.Filters.FirstOrDefault(f => !f.IsDecoded) is { } undecoded)
        {
            Obscured = undecoded.Predictor is { IsDecoded: false } predictor
                ? $"an object stream with predictor {predictor.Kind} ({predictor.BitsPerComponent}-bit, {predictor.Columns} columns), which the check does not undo"
                : $"an object stream encoded with {undecoded.Name}, which the check does not decode";
            return;
        }

        if (dictionary.Filters.Count == 0 || !dictionary.Filters[0].IsDecoded)
        {
            return;
        }

        foreach (var finished in _open.Where(d => !d.Open).ToList())
        {
            _open.Remove(finished);
            finished.Dispose();
        }

        if (_open.Count >= MostOpenStreams)
        {
            // Another stream's data is only read for names that do nothing there; an object stream must be read.
            if (_open.FirstOrDefault(d => !d.HoldsObjects) is not { } dropped)
            {
                Obscured = $"more than {MostOpenStreams} object streams open at once";
                return;
            }

            _open.Remove(dropped);
            dropped.Dispose();
        }

        _open.Add(PdfStreamDecoding.Start(dictionary, limits, _inflated));
    }

    private void Feed(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || Refused)
        {
            return;
        }

        for (var i = 0; _sniffed >= 0 && i < bytes.Length; i++)
        {
            if (_sniffed++ == 0)
            {
                _sniffedFirst = bytes[i];
                continue;
            }

            _sniffed = -1;
            if (IsZlibHeader(_sniffedFirst, bytes[i]))
            {
                Obscured = "a compressed stream whose dictionary cannot be read";
                return;
            }
        }

        foreach (var decoding in _open)
        {
            decoding.Write(bytes);
            Judge(decoding);
            if (Refused)
            {
                return;
            }
        }
    }

    private void Judge(PdfStreamDecoding decoding)
    {
        Found ??= decoding.Found;
        Obscured ??= decoding.OverLimit
            ?? (decoding.HoldsObjects && decoding.Broken ? "an object stream that does not decode (the file is encrypted or damaged)" : null);
    }

    /// <summary>RFC 1950: deflate with a window of at most 32 KiB, a header checksum, and no preset dictionary.</summary>
    private static bool IsZlibHeader(byte method, byte flags) =>
        (method & 0x0F) == 8 && method >> 4 <= 7 && ((method << 8) | flags) % 31 == 0 && (flags & 0x20) == 0;

    /// <summary>The bytes before <paramref name="end"/> in this block (negative: in earlier ones), at most one window.</summary>
    private ReadOnlySpan<byte> Before(ReadOnlySpan<byte> block, int end)
    {
        var window = _window.Length;
        if (end >= window)
        {
            return block[(end - window)..end];
        }

        if (end < 0)
        {
            return _recent.AsSpan(0, _recentLength + end);
        }

        var fromRecent = Math.Min(_recentLength, window - end);
        _recent.AsSpan(_recentLength - fromRecent, fromRecent).CopyTo(_window);
        block[..end].CopyTo(_window.AsSpan(fromRecent));
        return _window.AsSpan(0, fromRecent + end);
    }

    private void KeepRecent(ReadOnlySpan<byte> block)
    {
        var window = _recent.Length;
        if (block.Length >= window)
        {
            block[^window..].CopyTo(_recent);
            _recentLength = window;
            return;
        }

        var keep = Math.Min(_recentLength, window - block.Length);
        _recent.AsSpan(_recentLength - keep, keep).CopyTo(_recent);
        block.CopyTo(_recent.AsSpan(keep));
        _recentLength = keep + block.Length;
    }

    private static void Close(List<PdfStreamDecoding> decodings)
    {
        foreach (var decoding in decodings)
        {
            decoding.Dispose();
        }

        decodings.Clear();
    }
}

/// <summary>
/// How far the check inflates compressed streams. Past either limit the file is refused, not passed:
/// zeros compress about a thousandfold, so a small file could otherwise hide a script behind padding the
/// check gives up on. Images are not inflated, so a legitimate plan or budget stays far below these.
/// </summary>
/// <param name="PerStream">The most bytes one stream may inflate to.</param>
/// <param name="Total">The most bytes all streams of the file together may inflate to.</param>
public sealed record PdfInflateLimits(long PerStream, long Total)
{
    /// <summary>64 MiB per stream and 256 MiB per file.</summary>
    public static PdfInflateLimits Default { get; } = new(64L * 1024 * 1024, 256L * 1024 * 1024);
}

using System.Text;

namespace Grants.PdfScanning;

/// <summary>
/// What a stream's dictionary says about its data: the filters it passes through (<c>/Filter</c>,
/// <c>/DecodeParms</c>), whether it is an image (pixels, never read as PDF syntax) and whether it may
/// hold objects (<c>/Type /ObjStm</c>, or the <c>/First</c> offset a reader needs to take objects out).
/// </summary>
internal sealed class PdfStreamDictionary
{
    /// <summary>Stream dictionaries are short; a longer one is not read (see <see cref="PdfActiveContent"/>).</summary>
    public const int Window = 4 * 1024;

    /// <summary>Where a dictionary may start: every <c>&lt;&lt;</c> is tried, nearest first, up to this many.</summary>
    private const int MostStarts = 32;

    /// <summary>Starts tried beyond the first that reads, to find a second reading.</summary>
    private const int FurtherStarts = 4;

    private const int MostDepth = 32;

    /// <summary>Writers chain two filters at most (ASCII85 around Flate); each decoder holds memory.</summary>
    private const int MostFilters = 4;

    public required IReadOnlyList<PdfFilter> Filters { get; init; }

    public bool IsImage { get; init; }

    public bool HoldsObjects { get; init; }

    private bool ReadsLike(PdfStreamDictionary other) =>
        IsImage == other.IsImage && HoldsObjects == other.HoldsObjects && Filters.SequenceEqual(other.Filters);

    /// <summary>
    /// Reads the dictionary that ends right before a <c>stream</c> keyword from the bytes before it. A
    /// dictionary is found by trying each <c>&lt;&lt;</c> as its start and keeping one that parses,
    /// strictly, up to the keyword; a comment or string can hide a dictionary-like text inside the real
    /// one, so if two starts read differently the answer is <paramref name="ambiguous"/>.
    /// </summary>
    /// <param name="before">The bytes before the keyword, at most <see cref="Window"/>.</param>
    /// <param name="work">Bytes of parsing this may still do; every attempt is charged to it.</param>
    /// <returns>The dictionary, or null if none could be read (or it reads two ways).</returns>
    public static PdfStreamDictionary? Read(ReadOnlySpan<byte> before, ref long work, out bool ambiguous)
    {
        ambiguous = false;
        PdfStreamDictionary? read = null;
        var tried = 0;
        var further = 0;
        for (var start = before.LastIndexOf("<<"u8); start >= 0 && tried < MostStarts && further < FurtherStarts && work > 0; start = before[..(start + 1)].LastIndexOf("<<"u8))
        {
            tried++;
            var parser = new Parser(before, start);
            var parsed = parser.TryDictionaryToEnd(out var entries);
            work -= parser.Position - start;
            if (read is not null)
            {
                further++;
            }

            if (!parsed)
            {
                continue;
            }

            var reading = FromEntries(entries!);
            if (read is null)
            {
                read = reading;
            }
            else if (!read.ReadsLike(reading))
            {
                ambiguous = true;
                return null;
            }
        }

        return read;
    }

    private static PdfStreamDictionary FromEntries(Dictionary<string, object?> entries)
    {
        var parameters = entries.GetValueOrDefault("/DecodeParms") ?? entries.GetValueOrDefault("/DP");
        List<PdfFilter> filters = entries.GetValueOrDefault("/Filter") switch
        {
            null => [],
            PdfName name => [PdfFilter.Of(name.Value, parameters as Dictionary<string, object?>)],
            List<object?> { Count: > MostFilters } => [PdfFilter.TooMany],
            List<object?> names => [.. names.Select((n, i) => n is PdfName name
                ? PdfFilter.Of(name.Value, parameters is List<object?> each && i < each.Count ? each[i] as Dictionary<string, object?> : null)
                : PdfFilter.Unknown)],
            _ => [PdfFilter.Unknown],
        };
        return new PdfStreamDictionary
        {
            Filters = filters,
            IsImage = entries.GetValueOrDefault("/Subtype") is PdfName { Value: "/Image" },
            HoldsObjects = entries.GetValueOrDefault("/Type") is PdfName { Value: "/ObjStm" } || entries.ContainsKey("/First"),
        };
    }

    /// <summary>A PDF name, <c>#xx</c> escapes decoded, with its slash.</summary>
    internal readonly record struct PdfName(string Value);

    /// <summary>Strings, booleans and keywords: present, but nothing here needs their value.</summary>
    private static readonly object OtherValue = new();

    /// <summary>An indirect reference (<c>12 0 R</c>): its value is elsewhere in the file.</summary>
    private static readonly object Reference = new();

    /// <summary>
    /// A strict parser of one dictionary: strings must be balanced, hexadecimal strings hold only digits
    /// and white space, and a stray delimiter fails. Strictness is what makes a start inside a string or a
    /// comment fail where the real dictionary parses.
    /// </summary>
    private ref struct Parser(ReadOnlySpan<byte> text, int start)
    {
        private readonly ReadOnlySpan<byte> _text = text;

        public int Position { get; private set; } = start;

        public bool TryDictionaryToEnd(out Dictionary<string, object?>? entries)
        {
            entries = null;
            if (!TryValue(0, out var value) || value is not Dictionary<string, object?> dictionary)
            {
                return false;
            }

            SkipSpace();
            entries = dictionary;
            return Position == _text.Length;
        }

        private bool TryValue(int depth, out object? value)
        {
            value = null;
            SkipSpace();
            if (Position >= _text.Length || depth > MostDepth)
            {
                return false;
            }

            var b = _text[Position];
            if (b == '<' && Next(1) == '<')
            {
                Position += 2;
                return TryDictionary(depth, out value);
            }

            switch (b)
            {
                case (byte)'<':
                    value = OtherValue;
                    return TryHexString();
                case (byte)'(':
                    value = OtherValue;
                    return TryLiteralString();
                case (byte)'[':
                    Position++;
                    return TryArray(depth, out value);
                case (byte)'/':
                    value = ReadName();
                    return true;
            }

            if (!PdfSyntax.IsRegular(b))
            {
                return false;
            }

            var token = ReadToken();
            if (!TryNumber(token, out var number))
            {
                value = token.SequenceEqual("null"u8) ? null : OtherValue;
                return true;
            }

            value = number;
            if (number >= 0 && number == Math.Floor(number) && IsReferenceAhead())
            {
                value = Reference;
            }

            return true;
        }

        private bool TryDictionary(int depth, out object? value)
        {
            var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
            value = entries;
            while (true)
            {
                SkipSpace();
                if (Position + 1 < _text.Length && _text[Position] == '>' && _text[Position + 1] == '>')
                {
                    Position += 2;
                    return true;
                }

                if (Position >= _text.Length || _text[Position] != '/')
                {
                    return false;
                }

                var key = ReadName();
                if (!TryValue(depth + 1, out var entry))
                {
                    return false;
                }

                // As readers do, a repeated key keeps its last value.
                entries[key.Value] = entry;
            }
        }

        private bool TryArray(int depth, out object? value)
        {
            var items = new List<object?>();
            value = items;
            while (true)
            {
                SkipSpace();
                if (Position < _text.Length && _text[Position] == ']')
                {
                    Position++;
                    return true;
                }

                if (!TryValue(depth + 1, out var item))
                {
                    return false;
                }

                items.Add(item);
            }
        }

        private bool TryHexString()
        {
            for (Position++; Position < _text.Length; Position++)
            {
                var b = _text[Position];
                if (b == '>')
                {
                    Position++;
                    return true;
                }

                if (PdfSyntax.HexValue(b) < 0 && !PdfSyntax.IsWhitespace(b))
                {
                    return false;
                }
            }

            return false;
        }

        private bool TryLiteralString()
        {
            var open = 0;
            for (; Position < _text.Length; Position++)
            {
                switch (_text[Position])
                {
                    case (byte)'\\':
                        Position++;
                        break;
                    case (byte)'(':
                        open++;
                        break;
                    case (byte)')' when --open == 0:
                        Position++;
                        return true;
                }
            }

            return false;
        }

        private PdfName ReadName()
        {
            var name = new StringBuilder("/");
            for (Position++; Position < _text.Length && PdfSyntax.IsRegular(_text[Position]); Position++)
            {
                var b = _text[Position];
                if (b == '#' && Position + 2 < _text.Length && PdfSyntax.HexValue(_text[Position + 1]) >= 0 && PdfSyntax.HexValue(_text[Position + 2]) >= 0)
                {
                    b = (byte)((PdfSyntax.HexValue(_text[Position + 1]) << 4) | PdfSyntax.HexValue(_text[Position + 2]));
                    Position += 2;
                }

                name.Append((char)b);
            }

            return new PdfName(name.ToString());
        }

        private ReadOnlySpan<byte> ReadToken()
        {
            var start = Position;
            while (Position < _text.Length && PdfSyntax.IsRegular(_text[Position]))
            {
                Position++;
            }

            return _text[start..Position];
        }

        /// <summary>Whether <c>G R</c> follows a number just read, making it an indirect reference.</summary>
        private bool IsReferenceAhead()
        {
            var back = Position;
            SkipSpace();
            var generation = ReadToken();
            SkipSpace();
            var r = ReadToken();
            if (generation.Length > 0 && TryNumber(generation, out _) && r.SequenceEqual("R"u8))
            {
                return true;
            }

            Position = back;
            return false;
        }

        private void SkipSpace()
        {
            while (Position < _text.Length)
            {
                var b = _text[Position];
                if (b == '%')
                {
                    while (Position < _text.Length && _text[Position] is not ((byte)'\r' or (byte)'\n'))
                    {
                        Position++;
                    }
                }
                else if (PdfSyntax.IsWhitespace(b))
                {
                    Position++;
                }
                else
                {
                    return;
                }
            }
        }

        private readonly byte Next(int ahead) => Position + ahead < _text.Length ? _text[Position + ahead] : (byte)0;

        private static bool TryNumber(ReadOnlySpan<byte> token, out double number) =>
            double.TryParse(token, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out number);
    }
}

/// <summary>One filter of a stream, as its dictionary names it, with the predictor its parameters add.</summary>
internal sealed record PdfFilter(string Name, PdfPredictor? Predictor = null)
{
    public const string Flate = "/FlateDecode";
    public const string AsciiHex = "/ASCIIHexDecode";
    public const string Ascii85 = "/ASCII85Decode";

    /// <summary>A filter not given as a name (an indirect reference, say): what it does cannot be known here.</summary>
    public static readonly PdfFilter Unknown = new("a /Filter that is not a name");

    public static readonly PdfFilter TooMany = new("a chain of more filters than the check follows");

    /// <summary>Whether the check decodes it: the compressor PDF writers use for object streams, and the two text encodings.</summary>
    public bool IsDecoded => Name is Flate or AsciiHex or Ascii85 && (Predictor is null || Predictor.IsDecoded);

    public static PdfFilter Of(string name, Dictionary<string, object?>? parameters)
    {
        // Inline-image abbreviations, which readers accept on any stream.
        var full = name switch
        {
            "/Fl" => Flate,
            "/AHx" => AsciiHex,
            "/A85" => Ascii85,
            "/LZW" => "/LZWDecode",
            "/RL" => "/RunLengthDecode",
            "/CCF" => "/CCITTFaxDecode",
            "/DCT" => "/DCTDecode",
            _ => name,
        };
        if (full is not (Flate or "/LZWDecode") || parameters is null)
        {
            return new PdfFilter(full);
        }

        var kind = Integer(parameters, "/Predictor", 1);
        return kind is > 1 or null
            ? new PdfFilter(full, new PdfPredictor(kind ?? 0, Integer(parameters, "/Colors", 1) ?? 0, Integer(parameters, "/BitsPerComponent", 8) ?? 0, Integer(parameters, "/Columns", 1) ?? 0))
            : new PdfFilter(full);
    }

    /// <summary>The integer under <paramref name="key"/>, its default if absent, null if it is something else.</summary>
    private static int? Integer(Dictionary<string, object?> parameters, string key, int absent) =>
        !parameters.TryGetValue(key, out var value) ? absent
        : value is double d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d
        : null;
}

/// <summary>
/// A predictor applied after decompression (ISO 32000-1 §7.4.4.4): 2 is TIFF's, 10 to 15 are PNG's, each
/// row then starting with its own PNG filter type.
/// </summary>
internal sealed record PdfPredictor(int Kind, int Colors, int BitsPerComponent, int Columns)
{
    /// <summary>Rows of object and cross-reference streams are a few bytes; a longer row is not undone.</summary>
    public const int MostRowBytes = 16 * 1024;

    public long RowBytes => ((long)Colors * BitsPerComponent * Columns + 7) / 8;

    public int BytesPerPixel => Math.Max(1, (Colors * BitsPerComponent + 7) / 8);

    public bool IsPng => Kind is >= 10 and <= 15;

    public bool IsDecoded =>
        Colors is >= 1 and <= 32 && Columns >= 1 && RowBytes <= MostRowBytes
        && ((IsPng && BitsPerComponent is 1 or 2 or 4 or 8 or 16) || (Kind == 2 && BitsPerComponent == 8));
}

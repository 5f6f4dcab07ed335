using System.IO.Compression;

namespace Grants.PdfScanning;

/// <summary>
/// One stream's data on its way through the filters its dictionary names to a <see cref="PdfNameReader"/>,
/// pushed in as the upload's blocks arrive. It is given every byte after the <c>stream</c> keyword and
/// ends where the encoded data itself says it ends (the end of the zlib data, <c>&gt;</c>, <c>~&gt;</c>),
/// not at the next <c>endstream</c>: those bytes can sit inside compressed data, and a reader that goes by
/// <c>/Length</c> reads past them.
/// </summary>
internal sealed class PdfStreamDecoding : IDisposable
{
    private readonly IPdfDecodedSink _first;
    private readonly PdfDecodedContent _content;
    private readonly List<IDisposable> _owned;

    private PdfStreamDecoding(IPdfDecodedSink first, PdfDecodedContent content, List<IDisposable> owned, bool holdsObjects)
    {
        _first = first;
        _content = content;
        _owned = owned;
        HoldsObjects = holdsObjects;
    }

    public bool HoldsObjects { get; }

    /// <summary>The data does not decode: damaged, encrypted, or not what the dictionary says.</summary>
    public bool Broken { get; private set; }

    public bool Ended => _content.Ended;

    public string? Found => _content.Found;

    public string? OverLimit => _content.OverLimit;

    public bool Open => !Broken && !Ended && Found is null && OverLimit is null;

    /// <summary>Decodes the stream through its leading filters the check understands (see <see cref="PdfFilter.IsDecoded"/>).</summary>
    public static PdfStreamDecoding Start(PdfStreamDictionary dictionary, PdfInflateLimits limits, PdfInflatedTotal total)
    {
        var content = new PdfDecodedContent(limits, total);
        var owned = new List<IDisposable>();
        IPdfDecodedSink next = content;
        foreach (var filter in dictionary.Filters.TakeWhile(f => f.IsDecoded).Reverse())
        {
            if (filter.Predictor is { } predictor)
            {
                next = predictor.IsPng ? new PdfPngPredictor(predictor, next) : new PdfTiffPredictor(predictor, next);
            }

            if (filter.Name == PdfFilter.Flate)
            {
                var flate = new PdfFlateFilter(next);
                owned.Add(flate);
                next = flate;
            }
            else
            {
                next = filter.Name == PdfFilter.AsciiHex ? new PdfAsciiHexFilter(next) : new PdfAscii85Filter(next);
            }
        }

        return new PdfStreamDecoding(next, content, owned, dictionary.HoldsObjects);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (!Open)
        {
            return;
        }

        try
        {
            _first.Write(bytes);
        }
        catch (InvalidDataException)
        {
            Broken = true;
        }
    }

    /// <summary>The file has ended: data that has not reached its own end by now is cut short.</summary>
    public void End()
    {
        if (!Open)
        {
            return;
        }

        try
        {
            _first.End();
        }
        catch (InvalidDataException)
        {
            Broken = true;
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}

/// <summary>The inflated bytes the whole upload may still produce.</summary>
internal sealed class PdfInflatedTotal(long most)
{
    public long Left { get; set; } = most;
}

/// <summary>Where decoded bytes go next: another filter, or the name reader at the end.</summary>
internal interface IPdfDecodedSink
{
    /// <returns>False when decoding is to stop: a name was found or the output went past its limit.</returns>
    bool Write(ReadOnlySpan<byte> bytes);

    /// <summary>The bytes have ended. Throws <see cref="InvalidDataException"/> if they end before their encoding says.</summary>
    bool End();
}

/// <summary>The end of every decoding: counts the bytes against the limits and reads the names in them.</summary>
internal sealed class PdfDecodedContent(PdfInflateLimits limits, PdfInflatedTotal total) : IPdfDecodedSink
{
    private readonly PdfNameReader _names = new();
    private long _written;

    public bool Ended { get; private set; }

    public string? Found => _names.Found;

    public string? OverLimit { get; private set; }

    public bool Write(ReadOnlySpan<byte> bytes)
    {
        _written += bytes.Length;
        total.Left -= bytes.Length;
        if (_written > limits.PerStream)
        {
            OverLimit = $"a compressed stream that expands past {Describe(limits.PerStream)}";
            return false;
        }

        if (total.Left < 0)
        {
            OverLimit = $"compressed streams that expand past {Describe(limits.Total)} in all";
            return false;
        }

        _names.Read(bytes);
        return _names.Found is null;
    }

    public bool End()
    {
        _names.Finish();
        Ended = true;
        return _names.Found is null;
    }

    private static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KiB"
        : $"{bytes} bytes";
}

/// <summary>
/// <c>/FlateDecode</c> through <see cref="ZLibStream"/>, fed as blocks arrive: the inflater reads from a
/// small buffer that each write refills, and stops asking for input when the zlib data (with its checksum)
/// has ended.
/// </summary>
internal sealed class PdfFlateFilter : IPdfDecodedSink, IDisposable
{
    private readonly PendingInput _input = new();
    private readonly ZLibStream _inflater;
    private readonly IPdfDecodedSink _next;
    private readonly byte[] _output = new byte[16 * 1024];
    private bool _ended;

    public PdfFlateFilter(IPdfDecodedSink next)
    {
        _next = next;
        _inflater = new ZLibStream(_input, CompressionMode.Decompress);
    }

    public bool Write(ReadOnlySpan<byte> bytes)
    {
        while (!_ended && !bytes.IsEmpty)
        {
            bytes = bytes[_input.Fill(bytes)..];
            if (!Inflate())
            {
                return false;
            }
        }

        return true;
    }

    public bool End()
    {
        if (_ended)
        {
            return true;
        }

        // One byte more: an inflater at the end of its data leaves it unread; one that is not reads on.
        _input.Fill([0]);
        if (!Inflate())
        {
            return false;
        }

        return _ended ? true : throw new InvalidDataException("The compressed data ends early.");
    }

    private bool Inflate()
    {
        int read;
        while ((read = _inflater.Read(_output)) > 0)
        {
            if (!_next.Write(_output.AsSpan(0, read)))
            {
                return false;
            }
        }

        if (_input.Unread == 0)
        {
            return true;
        }

        _ended = true;
        return _next.End();
    }

    public void Dispose() => _inflater.Dispose();

    /// <summary>The bytes handed to the inflater; reading returns 0 when they run out, and a later fill resumes it.</summary>
    private sealed class PendingInput : Stream
    {
        private readonly byte[] _buffer = new byte[4 * 1024];
        private int _start;
        private int _end;

        public int Unread => _end - _start;

        public int Fill(ReadOnlySpan<byte> bytes)
        {
            var taken = Math.Min(bytes.Length, _buffer.Length);
            bytes[..taken].CopyTo(_buffer);
            _start = 0;
            _end = taken;
            return taken;
        }

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, Unread);
            _buffer.AsSpan(_start, count).CopyTo(buffer);
            _start += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary><c>/ASCIIHexDecode</c>: pairs of hexadecimal digits, white space ignored, ended by <c>&gt;</c>.</summary>
internal sealed class PdfAsciiHexFilter(IPdfDecodedSink next) : IPdfDecodedSink
{
    private readonly byte[] _output = new byte[4 * 1024];
    private int _high = -1;
    private bool _ended;

    public bool Write(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        for (var i = 0; i < bytes.Length && !_ended; i++)
        {
            var b = bytes[i];
            if (PdfSyntax.IsWhitespace(b))
            {
                continue;
            }

            if (b == '>')
            {
                // An odd last digit is followed by an implied 0.
                if (_high >= 0)
                {
                    _output[count++] = (byte)(_high << 4);
                }

                _ended = true;
                return (count == 0 || next.Write(_output.AsSpan(0, count))) && next.End();
            }

            var value = PdfSyntax.HexValue(b);
            if (value < 0)
            {
                throw new InvalidDataException("Not a hexadecimal digit.");
            }

            if (_high < 0)
            {
                _high = value;
                continue;
            }

            _output[count++] = (byte)((_high << 4) | value);
            _high = -1;
            if (count == _output.Length)
            {
                if (!next.Write(_output))
                {
                    return false;
                }

                count = 0;
            }
        }

        return count == 0 || next.Write(_output.AsSpan(0, count));
    }

    public bool End() => _ended ? true : throw new InvalidDataException("The hexadecimal data has no end marker.");
}

/// <summary><c>/ASCII85Decode</c>: groups of five characters for four bytes, <c>z</c> for four zeros, ended by <c>~&gt;</c>.</summary>
internal sealed class PdfAscii85Filter(IPdfDecodedSink next) : IPdfDecodedSink
{
    private readonly byte[] _output = new byte[4 * 1024];
    private uint _group;
    private int _digits;
    private bool _tilde;
    private bool _ended;

    public bool Write(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        for (var i = 0; i < bytes.Length && !_ended; i++)
        {
            var b = bytes[i];
            if (_tilde)
            {
                if (b != '>')
                {
                    throw new InvalidDataException("A tilde not followed by >.");
                }

                _ended = true;
                count = Last(count);
                return (count == 0 || next.Write(_output.AsSpan(0, count))) && next.End();
            }

            if (b == '~')
            {
                _tilde = true;
            }
            else if (PdfSyntax.IsWhitespace(b))
            {
                continue;
            }
            else if (b == 'z' && _digits == 0)
            {
                _output.AsSpan(count, 4).Clear();
                count += 4;
            }
            else if (b is >= (byte)'!' and <= (byte)'u')
            {
                // Five digits above 2^32 - 1 are invalid; like readers, keep the low 32 bits.
                _group = unchecked((_group * 85) + (uint)(b - '!'));
                if (++_digits == 5)
                {
                    Emit(count, 4);
                    count += 4;
                }
            }
            else
            {
                throw new InvalidDataException("Not an ASCII85 digit.");
            }

            if (count > _output.Length - 4)
            {
                if (!next.Write(_output.AsSpan(0, count)))
                {
                    return false;
                }

                count = 0;
            }
        }

        return count == 0 || next.Write(_output.AsSpan(0, count));
    }

    public bool End() => _ended ? true : throw new InvalidDataException("The ASCII85 data has no end marker.");

    /// <summary>A last group of n digits (2 to 4) stands for n - 1 bytes, as if padded with <c>u</c>.</summary>
    private int Last(int count)
    {
        if (_digits == 0)
        {
            return count;
        }

        if (_digits == 1)
        {
            throw new InvalidDataException("A last ASCII85 group of one digit.");
        }

        var bytes = _digits - 1;
        while (_digits < 5)
        {
            _group = unchecked((_group * 85) + 84);
            _digits++;
        }

        Emit(count, bytes);
        return count + bytes;
    }

    private void Emit(int at, int bytes)
    {
        for (var k = 0; k < bytes; k++)
        {
            _output[at + k] = (byte)(_group >> (24 - (8 * k)));
        }

        _group = 0;
        _digits = 0;
    }
}

/// <summary>PNG predictors (10 to 15): each row starts with its filter type, 0 to 4, and is undone against the row above.</summary>
internal sealed class PdfPngPredictor(PdfPredictor predictor, IPdfDecodedSink next) : IPdfDecodedSink
{
    private readonly int _pixel = predictor.BytesPerPixel;
    private byte[] _above = new byte[predictor.RowBytes];
    private byte[] _row = new byte[predictor.RowBytes];
    private int _filled = -1;
    private int _type;

    public bool Write(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (_filled < 0)
            {
                _type = b <= 4 ? b : throw new InvalidDataException("Not a PNG filter type.");
                _filled = 0;
                continue;
            }

            int left = _filled >= _pixel ? _row[_filled - _pixel] : 0;
            int up = _above[_filled];
            int upLeft = _filled >= _pixel ? _above[_filled - _pixel] : 0;
            _row[_filled] = (byte)(b + _type switch
            {
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => 0,
            });
            if (++_filled == _row.Length)
            {
                if (!next.Write(_row))
                {
                    return false;
                }

                (_above, _row) = (_row, _above);
                _filled = -1;
            }
        }

        return true;
    }

    public bool End() => (_filled <= 0 || next.Write(_row.AsSpan(0, _filled))) && next.End();

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var toLeft = Math.Abs(estimate - left);
        var toUp = Math.Abs(estimate - up);
        var toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
}

/// <summary>The TIFF predictor (2) for 8-bit components: each byte adds the same component of the pixel before it.</summary>
internal sealed class PdfTiffPredictor(PdfPredictor predictor, IPdfDecodedSink next) : IPdfDecodedSink
{
    private readonly byte[] _row = new byte[predictor.RowBytes];
    private int _filled;

    public bool Write(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _row[_filled] = (byte)(b + (_filled >= predictor.Colors ? _row[_filled - predictor.Colors] : 0));
            if (++_filled == _row.Length)
            {
                if (!next.Write(_row))
                {
                    return false;
                }

                _filled = 0;
            }
        }

        return true;
    }

    public bool End() => (_filled == 0 || next.Write(_row.AsSpan(0, _filled))) && next.End();
}

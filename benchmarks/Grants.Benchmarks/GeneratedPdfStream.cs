using System.Text;

namespace Grants.Benchmarks;

/// <summary>
/// A PDF-shaped byte stream of any length produced on the fly, so neither side of a benchmark
/// holds the file in memory: %PDF- header, filler, %%EOF trailer.
/// </summary>
public sealed class GeneratedPdfStream(long length) : Stream
{
    private static readonly byte[] Head = Encoding.ASCII.GetBytes("%PDF-1.4\n");
    private static readonly byte[] Tail = Encoding.ASCII.GetBytes("\n%%EOF\n");
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        for (var i = 0; i < n; i++)
        {
            var at = _position + i;
            buffer[offset + i] = at < Head.Length ? Head[at]
                : at >= length - Tail.Length ? Tail[at - (length - Tail.Length)]
                : (byte)('a' + (at % 26));
        }

        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

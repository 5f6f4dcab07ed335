using System.Text;

namespace Grants.PdfScanning;

/// <summary>
/// Reads PDF name objects out of bytes as they stream past and remembers the first name that makes a
/// document act. Names are compared as a PDF reader sees them, with their <c>#xx</c> escapes decoded
/// (ISO 32000-1 §7.3.5: <c>/J#61vaScript</c> is <c>/JavaScript</c>, <c>/A#2FJavaScript</c> is not).
/// Its state carries from one call to the next, so a name or an escape may be split anywhere.
/// </summary>
internal sealed class PdfNameReader
{
    /// <summary>
    /// Scripts (<c>/JavaScript</c>: every script action and the document's script name tree carry it),
    /// launching programs, embedded files, XML forms and media that run code. Shorter names such as
    /// <c>/JS</c> are left out: three bytes turn up by chance in compressed and binary data far too often.
    /// </summary>
    private static readonly byte[][] ActiveNames = [.. new[] { "JavaScript", "Launch", "EmbeddedFile", "XFA", "RichMedia" }.Select(Encoding.ASCII.GetBytes)];

    private static readonly int Longest = ActiveNames.Max(n => n.Length);

    private readonly byte[] _name = new byte[Longest];
    private int _length;
    private State _state;
    private byte _escapeFirst;

    private enum State
    {
        Outside,
        Name,
        Escape,
        EscapeSecond,
    }

    /// <summary>The first active name read so far, if any, as <c>/JavaScript</c>.</summary>
    public string? Found { get; private set; }

    public void Read(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && Found is null)
        {
            if (_state == State.Outside)
            {
                var slash = bytes[i..].IndexOf((byte)'/');
                if (slash < 0)
                {
                    return;
                }

                i += slash + 1;
                _state = State.Name;
                _length = 0;
                continue;
            }

            // A byte that ends a name or an escape is looked at again in the state it leads to.
            var b = bytes[i];
            switch (_state)
            {
                case State.Name when b == '#':
                    _state = State.Escape;
                    i++;
                    break;
                case State.Name when PdfSyntax.IsRegular(b):
                    Append(b);
                    i++;
                    break;
                case State.Name:
                    EndName();
                    break;
                case State.Escape when PdfSyntax.HexValue(b) >= 0:
                    _escapeFirst = b;
                    _state = State.EscapeSecond;
                    i++;
                    break;
                case State.Escape:
                    // Not an escape: the number sign stands for itself, as readers take it.
                    Append((byte)'#');
                    _state = State.Name;
                    break;
                case State.EscapeSecond when PdfSyntax.HexValue(b) >= 0:
                    Append((byte)((PdfSyntax.HexValue(_escapeFirst) << 4) | PdfSyntax.HexValue(b)));
                    _state = State.Name;
                    i++;
                    break;
                case State.EscapeSecond:
                    Append((byte)'#');
                    Append(_escapeFirst);
                    _state = State.Name;
                    break;
            }
        }
    }

    /// <summary>The bytes have ended: a name reaching the end counts.</summary>
    public void Finish()
    {
        if (_state == State.Escape)
        {
            Append((byte)'#');
        }
        else if (_state == State.EscapeSecond)
        {
            Append((byte)'#');
            Append(_escapeFirst);
        }

        if (_state != State.Outside && Found is null)
        {
            EndName();
        }
    }

    /// <summary>Only the first bytes are kept: a name longer than every active one matches none of them.</summary>
    private void Append(byte b)
    {
        if (_length < _name.Length)
        {
            _name[_length] = b;
        }

        _length = Math.Min(_length + 1, _name.Length + 1);
    }

    private void EndName()
    {
        _state = State.Outside;
        if (_length > _name.Length)
        {
            return;
        }

        var name = _name.AsSpan(0, _length);
        foreach (var active in ActiveNames)
        {
            if (name.SequenceEqual(active))
            {
                Found = "/" + Encoding.ASCII.GetString(active);
                return;
            }
        }
    }
}

namespace Grants.Contracts;

/// <summary>Checks shared by every request that carries names or subjects.</summary>
public static class TextRules
{
    /// <summary>
    /// True when the text has a control character (CR, LF, tab, NUL, …). Such text must never reach a
    /// mail header, a file name or a log line: it is refused at the door.
    /// </summary>
    public static bool HasControlCharacters(string text) => text.Any(char.IsControl);

    /// <summary>A plausible single mailbox address: one @, no spaces or control characters, a dot in the domain.</summary>
    public static bool IsEmailAddress(string? value) =>
        value is { Length: > 3 and <= 254 }
        && !HasControlCharacters(value)
        && !value.Any(char.IsWhiteSpace)
        && value.Count(c => c == '@') == 1
        && value.IndexOf('@') is > 0 and var at
        && value.IndexOf('.', at) > at + 1
        && !value.EndsWith('.')
        && !value.Contains(',') && !value.Contains(';') && !value.Contains('<') && !value.Contains('>');

    public static IEnumerable<(string Field, string Error)> SingleLine(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield return (field, "is required");
            yield break;
        }

        if (value.Trim().Length > maxLength)
        {
            yield return (field, $"must be at most {maxLength} characters");
        }

        if (HasControlCharacters(value))
        {
            yield return (field, "must be a single line without control characters");
        }
    }
}

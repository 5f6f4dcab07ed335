namespace Grants.Contracts;

/// <summary>Checks shared by every request that carries names or subjects.</summary>
public static class TextRules
{
    /// <summary>
    /// True when the text has a control character (CR, LF, tab, NUL, …). Such text must never reach a
    /// mail header, a file name or a log line: it is refused at the door.
    /// </summary>
    public static bool HasControlCharacters(string text) => text.Any(char.IsControl);

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

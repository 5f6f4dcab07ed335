using System.Text;

namespace Grants.Functions.Applications.Attachments;

/// <summary>
/// Turns a client-supplied file name into a harmless display name. It is only ever metadata (blob
/// names are ours), but it reaches Content-Disposition headers and people's screens.
/// </summary>
public static class FileNames
{
    private const int MaxLength = 150;

    public static string Sanitise(string? proposed, string fallback)
    {
        var name = (proposed ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (!char.IsControl(c) && c is not ('<' or '>' or ':' or '"' or '|' or '?' or '*' or ';'))
            {
                builder.Append(c);
            }
        }

        var cleaned = builder.ToString().Trim().Trim('.').Trim();
        if (cleaned.Length > MaxLength)
        {
            var extension = Path.GetExtension(cleaned);
            cleaned = cleaned[..(MaxLength - extension.Length)] + extension;
        }

        return cleaned.Length == 0 ? fallback : cleaned;
    }
}

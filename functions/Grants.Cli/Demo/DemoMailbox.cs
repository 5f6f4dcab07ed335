using System.Text.RegularExpressions;
using MimeKit;

namespace Grants.Cli.Demo;

/// <summary>The local mail folder (.eml files), read as respondents read their mail: the latest questionnaire link per address, whole, as they would click it.</summary>
public sealed partial class DemoMailbox(string directory)
{
    public Dictionary<string, string> QuestionnaireLinks(DateTimeOffset since)
    {
        var links = new Dictionary<string, (DateTimeOffset Date, string Path)>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.eml") : [])
        {
            if (File.GetLastWriteTimeUtc(file) < since.UtcDateTime)
            {
                continue;
            }

            var message = MimeMessage.Load(file);
            var match = Link().Match(message.TextBody ?? string.Empty);
            var to = message.To.Mailboxes.FirstOrDefault()?.Address;
            if (match.Success && to is not null && (!links.TryGetValue(to, out var known) || known.Date < message.Date))
            {
                links[to] = (message.Date, match.Value);
            }
        }

        return links.ToDictionary(l => l.Key, l => l.Value.Path, StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"https?://\S+/api/respond/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]{43}")]
    private static partial Regex Link();
}

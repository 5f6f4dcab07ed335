using System.Globalization;
using System.Text.RegularExpressions;
using Grants.Tests;

namespace Grants.Domain.Tests;

/// <summary>
/// docs/design.md is the design the code follows, and comments, tests and pages cite it by section
/// ("docs/design.md §2.4"). A citation must name the page by its path and a section the page has, and the
/// page must name only files that exist, so that neither side can come to point at nothing.
/// </summary>
public sealed partial class DesignDocumentTests
{
    private const string DesignPath = "docs/design.md";

    private static readonly string Page = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "design.md"));

    /// <summary>Folders that hold build output, installed packages or local runs, not sources.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        ".git", "bin", "obj", "node_modules", "TestResults", ".grants", "demo-output", ".vs", ".idea",
    };

    [Fact]
    public void TheSectionsTheCodeCitesKeepTheirNumbers()
    {
        string[] expected = ["1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "3", "4", "5", "6"];

        Assert.Subset(Sections(), expected.ToHashSet());
    }

    [Fact]
    public void EveryCitationOfTheDesignNamesASectionItHas()
    {
        var sections = Sections();
        var citations = Citations().ToList();
        var problems = new List<string>();
        foreach (var citation in citations)
        {
            if (citation.Path != DesignPath)
            {
                problems.Add($"{citation.Where}: cites \"{citation.Path}\"; write {DesignPath} so a reader can find it");
            }

            problems.AddRange(citation.Sections.Where(s => !sections.Contains(s))
                .Select(s => $"{citation.Where}: cites §{s}, which {DesignPath} does not have"));
        }

        Assert.NotEmpty(citations);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryFileTheDesignNamesExists()
    {
        var missing = NamedPaths()
            .Where(path => !File.Exists(Path.Combine(RepositoryPaths.Root, path)) && !Directory.Exists(Path.Combine(RepositoryPaths.Root, path)))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, $"{DesignPath} names what the repository does not have: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryLinkWithinTheDesignLeadsToAHeading()
    {
        var anchors = Heading().Matches(Page).Select(m => Anchor(m.Groups["title"].Value)).ToHashSet(StringComparer.Ordinal);
        var broken = MarkdownLink().Matches(Page).Select(m => m.Groups["target"].Value)
            .Where(target => target.StartsWith('#') && !anchors.Contains(target[1..]))
            .ToList();

        Assert.True(broken.Count == 0, $"{DesignPath} links to headings it does not have: {string.Join(", ", broken)}");
    }

    /// <remarks>The examples write the page as {0}, so that they are not citations themselves.</remarks>
    [Theory]
    [InlineData("see {0} §2.4.", "2.4")]
    [InlineData("({0} §4, domain.md §2.2)", "4")]
    [InlineData("{0} §2.5, §3 as a property", "2.5 3")]
    [InlineData("{0} §2.1–2.3 at the storage layer", "2.1 2.2 2.3")]
    [InlineData("{0} §3's voucher workflow", "3")]
    public void ACitationIsReadAsTheSectionsItNames(string text, string sections)
    {
        var citation = Assert.Single(CitationsIn(string.Format(CultureInfo.InvariantCulture, text, DesignPath), "example"));

        Assert.Equal(DesignPath, citation.Path);
        Assert.Equal(sections.Split(' '), citation.Sections);
    }

    /// <summary>The numbers of the page's sections: "1" from "## 1. Shape", "2.4" from "### 2.4 …".</summary>
    private static HashSet<string> Sections() =>
        Heading().Matches(Page)
            .Select(m => SectionNumber().Match(m.Groups["title"].Value))
            .Where(m => m.Success)
            .Select(m => m.Groups["number"].Value)
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<Citation> Citations() =>
        SourceFiles().SelectMany(file => CitationsIn(File.ReadAllText(file), Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/')));

    private static IEnumerable<Citation> CitationsIn(string text, string file)
    {
        foreach (Match match in CitationPattern().Matches(text))
        {
            var line = text.AsSpan(0, match.Index).Count('\n') + 1;
            yield return new Citation($"{file}:{line}", match.Groups["path"].Value, [.. CitedSections(match.Groups["sections"].Value)]);
        }
    }

    /// <summary>"§2.5, §3" names 2.5 and 3; "§2.1–2.3" names 2.1, 2.2 and 2.3.</summary>
    private static IEnumerable<string> CitedSections(string sections)
    {
        foreach (Match part in CitedPart().Matches(sections))
        {
            var from = part.Groups["from"].Value;
            if (!part.Groups["to"].Success)
            {
                yield return from;
                continue;
            }

            var to = part.Groups["to"].Value;
            var (fromMajor, fromMinor) = Split(from);
            var (toMajor, toMinor) = Split(to);
            if (fromMajor == toMajor && fromMinor is { } first && toMinor is { } last && first <= last)
            {
                for (var minor = first; minor <= last; minor++)
                {
                    yield return string.Create(CultureInfo.InvariantCulture, $"{fromMajor}.{minor}");
                }
            }
            else
            {
                yield return from;
                yield return to;
            }
        }
    }

    private static (int Major, int? Minor) Split(string section)
    {
        var parts = section.Split('.');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null);
    }

    /// <summary>Every text file of the repository's sources and documents.</summary>
    private static IEnumerable<string> SourceFiles()
    {
        var folders = new Stack<string>([RepositoryPaths.Root]);
        while (folders.TryPop(out var folder))
        {
            foreach (var child in Directory.EnumerateDirectories(folder).Where(d => !SkippedFolders.Contains(Path.GetFileName(d))))
            {
                folders.Push(child);
            }

            foreach (var file in Directory.EnumerateFiles(folder).Where(IsText))
            {
                yield return file;
            }
        }
    }

    private static bool IsText(string file)
    {
        var head = new byte[8192];
        using var stream = File.OpenRead(file);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Array.IndexOf(head, (byte)0, 0, read) < 0;
    }

    /// <summary>Repository paths the page names: in backticks from the repository root, and as relative links from docs/.</summary>
    private static IEnumerable<string> NamedPaths()
    {
        foreach (Match match in QuotedPath().Matches(Page))
        {
            yield return match.Groups["path"].Value.TrimEnd('/');
        }

        foreach (Match match in MarkdownLink().Matches(Page))
        {
            var target = match.Groups["target"].Value.Split('#')[0];
            if (target.Length > 0 && !target.Contains("://", StringComparison.Ordinal))
            {
                yield return Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "docs", target))).Replace('\\', '/');
            }
        }
    }

    /// <summary>A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string Anchor(string title) =>
        new string([.. title.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');

    private sealed record Citation(string Where, string Path, IReadOnlyList<string> Sections);

    [GeneratedRegex(@"^#{2,3} (?<title>.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(?<number>\d+(?:\.\d+)?)\.?\s")]
    private static partial Regex SectionNumber();

    /// <summary>The page's file name with whatever path is written before it, then a section ("§4") and any further ones ("§2.5, §3", "§2.1–2.3").</summary>
    [GeneratedRegex(@"(?<path>[A-Za-z0-9_./-]*design\.md)\s*(?<sections>§\s?\d+(?:\.\d+)?(?:\s*[–-]\s*\d+(?:\.\d+)?)?(?:\s*(?:,|and)\s*§\s?\d+(?:\.\d+)?(?:\s*[–-]\s*\d+(?:\.\d+)?)?)*)")]
    private static partial Regex CitationPattern();

    [GeneratedRegex(@"(?<from>\d+(?:\.\d+)?)(?:\s*[–-]\s*(?<to>\d+(?:\.\d+)?))?")]
    private static partial Regex CitedPart();

    [GeneratedRegex(@"`(?<path>(?:functions|contracts|tests|docs|infra|benchmarks|tools)/[^`\s*{}]*|package\.json|package-lock\.json|azure\.yaml|host\.json|global\.json)`")]
    private static partial Regex QuotedPath();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}

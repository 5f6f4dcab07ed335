namespace Grants.Domain.Common;

/// <summary>Sectors an organisation can belong to; the mix matches the ESF-E monitoring (domain.md §1).</summary>
public static class Sectors
{
    public static IReadOnlyList<string> All { get; } =
    [
        "industry", "care", "business-services", "financial-services", "government", "education",
        "construction", "hospitality", "transport-logistics", "other",
    ];

    public static bool IsKnown(string code) => All.Contains(code, StringComparer.Ordinal);
}

/// <summary>Size classes by number of employees (EU SME definition: micro &lt; 10, small &lt; 50, medium &lt; 250).</summary>
public static class SizeClasses
{
    public static IReadOnlyList<string> All { get; } = ["micro", "small", "medium", "large"];

    public static bool IsKnown(string code) => All.Contains(code, StringComparer.Ordinal);
}

/// <summary>Languages applicants can be written to in.</summary>
public static class Languages
{
    public const string Dutch = "nl";
    public const string English = "en";

    public static IReadOnlyList<string> All { get; } = [Dutch, English];
}

/// <summary>
/// The ESF-E social-innovation themes per round year (seed data from the programme's rounds:
/// 2008 three themes; 2009 two new ones; 2010 adds sustainable employability).
/// </summary>
public static class ThemeCatalogue
{
    private static readonly Dictionary<int, IReadOnlyList<string>> ByYear = new()
    {
        [2008] = ["smarter-working", "flexible-work-organisation", "new-relations-at-work"],
        [2009] = ["working-time-management", "process-improvement"],
        [2010] = ["working-time-management", "process-improvement", "sustainable-employability"],
    };

    public static IReadOnlyDictionary<string, (string Dutch, string English)> Names { get; } = new Dictionary<string, (string, string)>
    {
        ["smarter-working"] = ("Slimmer werken", "Smarter working"),
        ["flexible-work-organisation"] = ("Flexibelere arbeidsorganisatie", "More flexible work organisation"),
        ["new-relations-at-work"] = ("Nieuwe arbeidsverhoudingen", "New relations at work"),
        ["working-time-management"] = ("Arbeidstijdenmanagement", "Working-time management"),
        ["process-improvement"] = ("Procesverbetering", "Process improvement"),
        ["sustainable-employability"] = ("Duurzame inzetbaarheid", "Sustainable employability"),
    };

    public static IReadOnlyList<int> Years => [.. ByYear.Keys.Order()];

    /// <summary>Themes of a year; later years without their own list keep the latest one.</summary>
    public static IReadOnlyList<string> ForYear(int year) =>
        ByYear.TryGetValue(year, out var themes) ? themes
        : year > ByYear.Keys.Max() ? ByYear[ByYear.Keys.Max()]
        : [];

    public static bool IsKnown(string code) => Names.ContainsKey(code);
}

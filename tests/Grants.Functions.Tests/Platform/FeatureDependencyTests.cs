using System.Text.RegularExpressions;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// docs/decisions/0014: feature folders depend on each other in one direction only. A feature that needs another's
/// work done raises an event; one that needs an answer from a later feature asks through an interface it owns. A
/// cycle between two folders means neither can be read or changed on its own.
/// </summary>
public sealed partial class FeatureDependencyTests
{
    private static readonly string FunctionApp = Path.Combine(RepositoryPaths.Root, "functions", "Grants.Functions");

    [Fact]
    public void NoTwoFeaturesDependOnEachOtherEvenThroughOthers()
    {
        var features = Directory.EnumerateDirectories(FunctionApp)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("Platform" or "bin" or "obj"))
            .ToList();
        var uses = features.ToDictionary(f => f, f => UsesOf(f, features));

        var cycles = features.SelectMany(f => CyclesThrough(f, uses)).Distinct().ToList();

        Assert.True(features.Count > 10, $"Found only {features.Count} feature folders.");
        Assert.True(cycles.Count == 0, "Feature folders in a cycle: " + string.Join("; ", cycles));
    }

    [Fact]
    public void TheCheckFindsADependencyWrittenEitherWay()
    {
        var features = new List<string> { "Lottery", "Rounds" };

        Assert.Equal(["Rounds"], Referenced("using Grants.Functions.Rounds;\nclass A { }", "Lottery", features));
        Assert.Equal(["Rounds"], Referenced("class A(Rounds.RoundStore rounds) { }", "Lottery", features));
        Assert.Empty(Referenced("using Grants.Domain.Rounds;\nclass A(Grants.Domain.Rounds.RoundData round) { }", "Lottery", features));
    }

    private static HashSet<string> UsesOf(string feature, IReadOnlyList<string> features) =>
        [.. Directory.EnumerateFiles(Path.Combine(FunctionApp, feature), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => Referenced(File.ReadAllText(file), feature, features))];

    private static IEnumerable<string> Referenced(string source, string feature, IReadOnlyList<string> features) =>
        features.Where(other => other != feature
            && (source.Contains($"using Grants.Functions.{other};", StringComparison.Ordinal)
                || source.Contains($"using Grants.Functions.{other}.", StringComparison.Ordinal)
                || source.Contains($"Grants.Functions.{other}.", StringComparison.Ordinal)
                || QualifiedUse().Matches(source).Any(m => m.Groups["feature"].Value == other)));

    /// <summary>The paths by which <paramref name="start"/> comes back to itself; each cycle is named once, from its alphabetically first member.</summary>
    private static IEnumerable<string> CyclesThrough(string start, IReadOnlyDictionary<string, HashSet<string>> uses)
    {
        var paths = new Stack<List<string>>([[start]]);
        while (paths.TryPop(out var path))
        {
            foreach (var next in uses[path[^1]])
            {
                if (next == start)
                {
                    if (path.Min(StringComparer.Ordinal) == start)
                    {
                        yield return string.Join(" → ", path.Append(start));
                    }
                }
                else if (!path.Contains(next))
                {
                    paths.Push([.. path, next]);
                }
            }
        }
    }

    /// <summary>A type named through its feature's namespace, as in <c>Lottery.DrawStandings</c>, not preceded by another namespace.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9_.])(?<feature>[A-Z][A-Za-z]+)\.[A-Z][A-Za-z]+")]
    private static partial Regex QualifiedUse();
}

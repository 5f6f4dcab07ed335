using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Grants.Functions.Tests.Guide;

/// <summary>
/// docs/api.md read as a script. Its steps, in the order the guide shows them:
/// <list type="bullet">
/// <item>a <c>sh</c> block of <c>name=$(dotnet grants dev-token …)</c> lines: the tokens the requests use as <c>{{name}}</c>;</item>
/// <item>an <c>http</c> block: a request — request line, headers, blank line, body — with <c>{{name}}</c> for values set before;</item>
/// <item>an <c>http</c> block starting <c>HTTP/1.1</c>: the response the request before it must get — the status, the headers
/// shown, and the body's fields shown (an excerpt: fields left out are not checked; arrays are shown whole). A
/// <c>{{name}}</c> not yet set takes the value found there;</item>
/// <item>an HTML comment <c>&lt;!-- guide: name --&gt;</c>: work the guide describes in words and the test does (<see cref="ApiGuideTests"/>).</item>
/// </list>
/// </summary>
public static partial class ApiGuide
{
    public abstract record Step(int Line);

    public sealed record Tokens(int Line, IReadOnlyList<TokenCommand> Commands) : Step(Line);

    public sealed record TokenCommand(string Name, string Role, string? Organisation, string? Subject, int Hours);

    public sealed record Request(int Line, string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, string? Body) : Step(Line);

    public sealed record Response(int Line, int Status, IReadOnlyList<(string Name, string Value)> Headers, JsonNode? Body) : Step(Line);

    public sealed record Directive(int Line, string Name) : Step(Line);

    public static IReadOnlyList<Step> Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var steps = new List<Step>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (DirectivePattern().Match(lines[i]) is { Success: true } directive)
            {
                steps.Add(new Directive(i + 1, directive.Groups["name"].Value));
                continue;
            }

            if (lines[i] is not ("```http" or "```sh"))
            {
                continue;
            }

            var start = i + 1;
            var end = Array.IndexOf(lines, "```", start);
            Assert.True(end > 0, $"docs/api.md:{start}: a code block that does not end");
            var block = lines[start..end];
            steps.Add(lines[i] == "```sh" ? ParseTokens(start, block) : block[0].StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? ParseResponse(start, block) : ParseRequest(start, block));
            i = end;
        }

        return steps;
    }

    /// <summary>Replaces each <c>{{name}}</c> with its value; a name not set yet is an error in the guide.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values, int line) =>
        VariablePattern().Replace(text, m => values.TryGetValue(m.Groups["name"].Value, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"docs/api.md:{line}: {{{{{m.Groups["name"].Value}}}}} is used before the guide sets it"));

    /// <summary>
    /// Whether <paramref name="actual"/> matches the text <paramref name="expected"/> shows: literally, but with each
    /// <c>{{name}}</c> set before standing for its value and each not yet set taking what stands in its place.
    /// </summary>
    public static bool MatchText(string expected, string actual, Dictionary<string, string> values)
    {
        var pattern = new StringBuilder("^");
        var captured = new List<string>();
        var at = 0;
        foreach (Match m in VariablePattern().Matches(expected))
        {
            pattern.Append(Regex.Escape(expected[at..m.Index]));
            var name = m.Groups["name"].Value;
            if (values.TryGetValue(name, out var value))
            {
                pattern.Append(Regex.Escape(value));
            }
            else if (captured.Contains(name))
            {
                pattern.Append(CultureInvariant($"\\k<{name}>"));
            }
            else
            {
                captured.Add(name);
                pattern.Append(CultureInvariant($"(?<{name}>.+?)"));
            }

            at = m.Index + m.Length;
        }

        pattern.Append(Regex.Escape(expected[at..])).Append('$');
        var match = Regex.Match(actual, pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return false;
        }

        foreach (var name in captured)
        {
            values[name] = match.Groups[name].Value;
        }

        return true;
    }

    /// <summary>Where <paramref name="actual"/> differs from the excerpt <paramref name="expected"/> (null when it matches); captures as <see cref="MatchText"/>.</summary>
    public static string? Mismatch(JsonNode? expected, JsonNode? actual, Dictionary<string, string> values, string path = "$")
    {
        switch (expected)
        {
            case JsonObject shown:
                if (actual is not JsonObject real)
                {
                    return $"{path} is not an object";
                }

                foreach (var (name, value) in shown)
                {
                    if (!real.TryGetPropertyValue(name, out var found))
                    {
                        return $"{path}.{name} is missing";
                    }

                    if (Mismatch(value, found, values, $"{path}.{name}") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonArray shownItems:
                if (actual is not JsonArray items || items.Count != shownItems.Count)
                {
                    return $"{path} is not an array of {shownItems.Count}";
                }

                for (var i = 0; i < items.Count; i++)
                {
                    if (Mismatch(shownItems[i], items[i], values, $"{path}[{i}]") is { } difference)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonValue text when text.TryGetValue<string>(out var pattern) && VariablePattern().IsMatch(pattern):
                var raw = actual switch
                {
                    JsonValue v when v.TryGetValue<string>(out var s) => s,
                    null => "null",
                    _ => actual.ToJsonString(),
                };
                return MatchText(pattern, raw, values) ? null : $"{path} is {actual?.ToJsonString() ?? "null"}, not {pattern}";
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path} is {actual?.ToJsonString() ?? "null"}, not {expected?.ToJsonString() ?? "null"}";
        }
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static Tokens ParseTokens(int line, string[] block)
    {
        var commands = new List<TokenCommand>();
        foreach (var text in block.Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var command = TokenPattern().Match(text);
            Assert.True(command.Success, $"docs/api.md: '{text}' is not name=$(dotnet grants dev-token …)");
            var options = command.Groups["options"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Chunk(2).ToDictionary(o => o[0], o => o[1]);
            commands.Add(new TokenCommand(command.Groups["name"].Value, options["--role"], options.GetValueOrDefault("--org"), options.GetValueOrDefault("--sub"),
                int.Parse(options.GetValueOrDefault("--hours", "12"), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new Tokens(line, commands);
    }

    private static Request ParseRequest(int line, string[] block)
    {
        var requestLine = block[0].Split(' ');
        Assert.True(requestLine.Length == 2, $"docs/api.md:{line + 1}: '{block[0]}' is not METHOD /path");
        var (headers, body) = HeadersAndBody(block[1..]);
        return new Request(line, requestLine[0], requestLine[1], headers, body);
    }

    private static Response ParseResponse(int line, string[] block)
    {
        var status = int.Parse(block[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var (headers, body) = HeadersAndBody(block[1..]);
        return new Response(line, status, headers, body is null ? null : JsonNode.Parse(body));
    }

    private static (IReadOnlyList<(string Name, string Value)> Headers, string? Body) HeadersAndBody(string[] lines)
    {
        var blank = Array.IndexOf(lines, "");
        var headerLines = blank < 0 ? lines : lines[..blank];
        var headers = headerLines.Select(h => h.Split(": ", 2)).Select(h => (h[0], h[1])).ToList();
        var body = blank < 0 ? null : string.Join('\n', lines[(blank + 1)..]);
        return (headers, string.IsNullOrWhiteSpace(body) ? null : body);
    }

    [GeneratedRegex(@"\{\{(?<name>[a-zA-Z][a-zA-Z0-9]*)\}\}")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^<!-- guide: (?<name>[a-z-]+) -->$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"^(?<name>[a-zA-Z][a-zA-Z0-9]*)=\$\(dotnet grants dev-token (?<options>[^)]*)\)$")]
    private static partial Regex TokenPattern();
}

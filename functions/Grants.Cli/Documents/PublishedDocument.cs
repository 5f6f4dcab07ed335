using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Json.Schema;

namespace Grants.Cli.Documents;

/// <summary>A published document that cannot be checked: not JSON, a name given twice, or not what its schema allows.</summary>
public sealed class UnreadableDocumentException(string document, IReadOnlyList<string> problems)
    : Exception($"{document}: {string.Join("; ", problems)}")
{
    public string Document { get; } = document;

    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads a document Grants publishes (lottery protocol and cut-off document, announcements, evaluation design) the way an
/// outside checker must: as JSON with no name given twice, then against its published schema in
/// contracts/schemas (case-sensitive names, no unknown or missing properties, types and patterns),
/// and only then into a value. Nothing is recomputed from a document that fails either step.
/// </summary>
public static class PublishedDocument
{
    public const string ProtocolSchema = "lottery-protocol.schema.json";
    public const string CutoffsSchema = "lottery-cutoffs.schema.json";
    public const string AnnouncementsSchema = "lottery-announcements.schema.json";
    public const string EvaluationDesignSchema = "evaluation-design.schema.json";
    public const string AnalysisPlanSchema = "analysis-plan.schema.json";

    private const int MaxProblems = 10;

    /// <summary>
    /// Each schema built once (Lazy: GetOrAdd may run a factory twice), into a registry of this class's own, so that
    /// nothing else in the process that loads the same schema by its $id collides with it in the global registry.
    /// </summary>
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new();

    private static readonly BuildOptions BuildOptions = new() { SchemaRegistry = new SchemaRegistry() };

    /// <summary>Checks <paramref name="json"/> against the named schema and returns it parsed; throws <see cref="UnreadableDocumentException"/> naming what is wrong.</summary>
    public static JsonDocument Check(string document, string json, string schemaName)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new UnreadableDocumentException(document, [$"not valid JSON: {e.Message}"]);
        }

        var result = SchemaOf(schemaName).Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true });
        if (!result.IsValid)
        {
            parsed.Dispose();
            var problems = Failures(result).Distinct().ToList();
            throw new UnreadableDocumentException(document, problems.Count == 0 ? ["does not match its schema"]
                : problems.Count > MaxProblems ? [.. problems.Take(MaxProblems), $"and {problems.Count - MaxProblems} more"] : problems);
        }

        return parsed;
    }

    /// <summary>Checks the document against its schema, then reads it with <paramref name="parse"/>; whatever either step refuses is an <see cref="UnreadableDocumentException"/>.</summary>
    public static T Read<T>(string name, string json, string schema, Func<string, T> parse)
    {
        using (Check(name, json, schema))
        {
            try
            {
                return parse(json);
            }
            catch (JsonException e)
            {
                // The schema allowed it but the reader did not: still unreadable, never a stack trace.
                throw new UnreadableDocumentException(name, [e.Message]);
            }
        }
    }

    /// <summary>
    /// The errors of the failing branches only: a <c>oneOf</c> that holds also fails in its other branch,
    /// and that branch's errors would send the reader after a problem the document does not have. Nor is
    /// an <c>if</c> that does not hold a failure: it only chooses between <c>then</c> and <c>else</c>.
    /// </summary>
    private static IEnumerable<string> Failures(EvaluationResults node)
    {
        if (node.IsValid || node.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal))
        {
            yield break;
        }

        var where = node.InstanceLocation.ToString() is { Length: > 0 } pointer ? pointer : "the document";
        foreach (var error in node.Errors ?? [])
        {
            yield return node.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal)
                ? $"{where}: is not a property this document may have (names are case-sensitive)"
                : $"{where}: {error.Value}";
        }

        foreach (var failure in (node.Details ?? []).SelectMany(Failures))
        {
            yield return failure;
        }
    }

    private static JsonSchema SchemaOf(string name) => Schemas.GetOrAdd(name, static n => new Lazy<JsonSchema>(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"schemas/{n}")
            ?? throw new InvalidOperationException($"The schema {n} is not embedded.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd(), BuildOptions);
    })).Value;
}

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// The published OpenAPI document (contracts/openapi.json) as the judge of every response the tests receive: the
/// status must be one the operation declares, a problem's <c>type</c> one it declares at that status, and a JSON
/// body must match the declared schema. Every test client checks through <see cref="ContractCheckingHandler"/>, so
/// a handler that answers with something the document does not say fails the test that met it.
/// </summary>
public static partial class ApiContract
{
    private const string SchemaBase = "https://grants.invalid/openapi/components/schemas/";

    private static readonly Lazy<Document> Published = new(Load);

    /// <summary>The responses that did not match, kept so that a run can report them even where a test swallowed the failure.</summary>
    public static ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>Where the examples the document shows are kept (see <see cref="RecordExample"/>).</summary>
    public static string ExamplesPath { get; } = Path.Combine(RepositoryPaths.Root, "contracts", "openapi-examples.json");

    /// <summary>With GRANTS_UPDATE_DOCS=1 the test clients keep the first successful exchange of each operation that has no example yet.</summary>
    public static bool RecordingExamples { get; } = Environment.GetEnvironmentVariable("GRANTS_UPDATE_DOCS") == "1";

    private static readonly ConcurrentDictionary<string, JsonObject> Recorded = new(StringComparer.Ordinal);

    /// <summary>Keeps a real request and response of the operation as its example, unless it has one.</summary>
    public static void RecordExample(HttpMethod method, Uri requestUri, int status, string? requestBody, string? responseBody)
    {
        if (status is < 200 or > 299 || Published.Value.Find(method.Method.ToLowerInvariant(), requestUri.AbsolutePath) is not { } operation)
        {
            return;
        }

        // An operation's status is shown as a reader wants to see it: finished, with what it did (a client polls it Queued first).
        if (operation.Id == "GetOperation" && responseBody is { Length: > 0 } && JsonNode.Parse(responseBody)?["status"]?.GetValue<string>() is "Queued" or "Running")
        {
            return;
        }

        var example = new JsonObject();
        if (requestBody is { Length: > 0 })
        {
            example["request"] = JsonNode.Parse(requestBody);
        }

        if (responseBody is { Length: > 0 })
        {
            example["response"] = JsonNode.Parse(responseBody);
        }

        // A page of a few hundred applications says no more than one of a few; keep the document readable
        // (an evaluation report, the largest document worth showing whole, is some 40 KB).
        if (example.Count > 0 && (requestBody?.Length ?? 0) + (responseBody?.Length ?? 0) <= 64 * 1024)
        {
            Recorded.TryAdd(operation.Id, example);
        }
    }

    /// <summary>
    /// Adds the examples recorded in this run to contracts/openapi-examples.json, keeping every example already there
    /// whose operation still exists, and writes the document anew with them. The build embeds the examples, so the next
    /// run serves the document written here.
    /// </summary>
    public static void WriteExamples(Func<JsonObject, string> render)
    {
        var kept = File.Exists(ExamplesPath) ? JsonNode.Parse(File.ReadAllText(ExamplesPath))!.AsObject() : [];
        var operations = Published.Value.OperationIds;
        var examples = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (id, example) in kept.Where(e => operations.Contains(e.Key)))
        {
            examples[id] = example!.DeepClone();
        }

        foreach (var (id, example) in Recorded.Where(r => !examples.ContainsKey(r.Key)))
        {
            examples[id] = example.DeepClone();
        }

        var written = new JsonObject();
        foreach (var (id, example) in examples)
        {
            written[id] = example;
        }

        File.WriteAllText(ExamplesPath, written.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllText(Path.Combine(RepositoryPaths.Root, "contracts", "openapi.json"), render(written));
    }

    /// <summary>What is wrong with this response by the document; empty when it matches or no declared operation served it.</summary>
    public static IReadOnlyList<string> Check(HttpMethod method, Uri requestUri, int status, string? mediaType, string? body)
    {
        var document = Published.Value;
        if (document.Find(method.Method.ToLowerInvariant(), requestUri.AbsolutePath) is not { } operation)
        {
            return [];
        }

        var name = $"{method.Method} {operation.Path} ({operation.Id})";
        if (status == 404 && ProblemType(body).Contains("route-not-found", StringComparison.Ordinal))
        {
            // No operation served it: the path has the shape of a route but not its constraints (a year of letters).
            return [];
        }

        if (document.Response(operation.Node["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]) is not JsonObject response)
        {
            return [$"{name} answered {status}{ProblemType(body)}, which the document does not declare for it."];
        }

        if (response["content"] is not JsonObject content || mediaType is null)
        {
            return [];
        }

        if (content[mediaType]?["schema"] is not JsonNode schema)
        {
            return content.Count == 0 || !IsJson(mediaType)
                ? []
                : [$"{name} answered {status} as {mediaType}; the document declares {string.Join(", ", content.Select(c => c.Key))}."];
        }

        if (!IsJson(mediaType) || string.IsNullOrEmpty(body))
        {
            return [];
        }

        using var parsed = JsonDocument.Parse(body);
        var result = document.SchemaOf(schema).Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            return [$"{name} answered {status}{ProblemType(body)} with a body the document's schema refuses: {string.Join("; ", Errors(result).Take(5))}"];
        }

        // An error in a protocol's own shape names its problem types among its errors; each must be one the document names.
        return response["x-problem-types"] is JsonArray named && JsonNode.Parse(body)?["errors"] is JsonArray errors
            ? [.. errors.Select(e => e?["type"]?.GetValue<string>()).Where(t => !named.Any(n => n?.GetValue<string>() == t)).Select(t => $"{name} answered {status} ({t}), which the document does not declare for it.")]
            : [];
    }

    /// <summary>What the schema (a schema of the published document) refuses in <paramref name="json"/>; empty when it matches.</summary>
    public static IReadOnlyList<string> Refusals(JsonNode schema, string json)
    {
        using var parsed = JsonDocument.Parse(json);
        var result = Published.Value.SchemaOf(schema).Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : [.. Errors(result).Take(5)];
    }

    private static bool IsJson(string mediaType) => mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    private static string ProblemType(string? body)
    {
        try
        {
            return body is { Length: > 0 } && JsonNode.Parse(body)?["type"] is JsonValue type ? $" ({type})" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static IEnumerable<string> Errors(EvaluationResults results) =>
        (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));

    private static Document Load()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "contracts", "openapi.json"));
        return new Document(JsonNode.Parse(json)!.AsObject());
    }

    [GeneratedRegex(@"""#/components/schemas/([A-Za-z0-9_.-]+)((?:/[^""]*)?)""")]
    private static partial Regex ComponentReference();

    /// <summary>The schema's text with the document's "#/components/schemas/X…" references made absolute (see <see cref="SchemaBase"/>).</summary>
    private static string Absolute(JsonNode schema) =>
        ComponentReference().Replace(schema.ToJsonString(), m => $"\"{SchemaBase}{m.Groups[1].Value}{(m.Groups[2].Length > 0 ? "#" + m.Groups[2].Value : "")}\"");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

    private sealed record Operation(string Path, string Id, JsonObject Node, Regex Pattern, int Literals);

    private sealed class Document
    {
        private readonly List<(string Method, Operation Operation)> _operations = [];
        private readonly BuildOptions _build = new() { SchemaRegistry = new SchemaRegistry() };
        private readonly ConcurrentDictionary<string, Lazy<JsonSchema>> _schemas = new();
        private readonly object _building = new();
        private int _built;

        private readonly JsonObject _root;

        public Document(JsonObject root)
        {
            _root = root;
            foreach (var (path, methods) in root["paths"]!.AsObject())
            {
                var pattern = new Regex("^" + PathParameter().Replace(Regex.Escape(path).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$");
                var literals = path.Split('/').Count(s => !s.StartsWith('{'));
                foreach (var (method, node) in methods!.AsObject())
                {
                    _operations.Add((method, new Operation(path, node!["operationId"]!.GetValue<string>(), node.AsObject(), pattern, literals)));
                }
            }

            // Each component is a schema of its own, named by an absolute $id, so that its internal references
            // ("#/properties/…") stay relative to itself and the document's "#/components/schemas/X" become $id references.
            var components = root["components"]!["schemas"]!.AsObject();
            foreach (var (name, schema) in components)
            {
                var text = Absolute(schema!);
                var node = JsonNode.Parse(text)!.AsObject();
                node["$id"] = SchemaBase + name;
                JsonSchema.FromText(node.ToJsonString(), _build, new Uri(SchemaBase + name));
            }
        }

        /// <summary>The response itself, where the operation refers to a shared one (<c>#/components/responses/…</c>).</summary>
        public JsonNode? Response(JsonNode? response) =>
            response?["$ref"] is JsonValue reference
                ? _root["components"]!["responses"]![reference.GetValue<string>()["#/components/responses/".Length..]]
                : response;

        public IReadOnlySet<string> OperationIds => _operations.Select(o => o.Operation.Id).ToHashSet(StringComparer.Ordinal);

        public Operation? Find(string method, string path) =>
            _operations.Where(o => o.Method == method && o.Operation.Pattern.IsMatch(path))
                .OrderByDescending(o => o.Operation.Literals)
                .Select(o => o.Operation)
                .FirstOrDefault();

        public JsonSchema SchemaOf(JsonNode schema)
        {
            var text = Absolute(schema);
            return _schemas.GetOrAdd(text, t => new Lazy<JsonSchema>(() =>
            {
                lock (_building)
                {
                    return JsonSchema.FromText(t, _build, new Uri($"{SchemaBase}responses/{++_built}"));
                }
            })).Value;
        }
    }
}

/// <summary>Checks each response against the published document (<see cref="ApiContract"/>) before the test sees it.</summary>
public sealed class ContractCheckingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? requestBody = null;
        if (ApiContract.RecordingExamples && request.Content?.Headers.ContentType?.MediaType == "application/json")
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
            requestBody = await request.Content.ReadAsStringAsync(cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        string? body = null;
        if (mediaType is not null && (mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal)))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }

        if (ApiContract.RecordingExamples)
        {
            ApiContract.RecordExample(request.Method, request.RequestUri!, (int)response.StatusCode, requestBody, mediaType == "application/json" ? body : null);
        }

        var violations = ApiContract.Check(request.Method, request.RequestUri!, (int)response.StatusCode, mediaType, body);
        if (violations.Count > 0)
        {
            foreach (var violation in violations)
            {
                ApiContract.Violations.Enqueue(violation);
            }

            throw new ContractViolationException(string.Join(Environment.NewLine, violations));
        }

        return response;
    }
}

/// <summary>A response the published OpenAPI document does not declare.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

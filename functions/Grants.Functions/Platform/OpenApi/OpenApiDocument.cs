using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using Grants.Contracts;
using Grants.Functions.Platform.FunctionApp;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Platform.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from what Azure serves: routes and methods from functions.metadata,
/// access from each function's declared roles, descriptions and body types from <see cref="ApiOperationAttribute"/>,
/// and the error responses, with their exact problem types, from what each function's code can answer
/// (<see cref="ReachableProblems"/>, docs/decisions/0017). Deterministic, so the committed copy in contracts/ can be
/// compared byte for byte.
/// </summary>
public static class OpenApiDocument
{
    public const string Version = "1.0.0";

    /// <summary>The options bodies are read with, so that the schemas say what the reader enforces: numbers as numbers, no unknown members, required constructor parameters.</summary>
    private static readonly JsonSerializerOptions SchemaOptions = new(JsonBody.Strict)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Describe,
    };

    /// <param name="examples">A real request and response per operation id (contracts/openapi-examples.json, recorded by the tests); null for the ones embedded in this assembly.</param>
    public static string Render(IReadOnlyList<FunctionEntry> functions, string routePrefix, Assembly assembly, JsonObject? examples = null) =>
        Build(functions, routePrefix, assembly, examples).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    public static JsonObject Build(IReadOnlyList<FunctionEntry> functions, string routePrefix, Assembly assembly, JsonObject? examples = null)
    {
        examples ??= EmbeddedExamples();
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var problemResponses = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var problems = new ReachableProblems(assembly);

        foreach (var function in functions.Where(f => f.Trigger?.IsHttpTrigger == true).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var type = FunctionType(function, assembly);
            var operation = type.GetCustomAttribute<ApiOperationAttribute>()
                ?? throw new InvalidOperationException($"{type.Name} has no [ApiOperation] describing it.");
            if (operation.Hidden)
            {
                continue;
            }

            var trigger = function.Trigger!;
            var route = "/" + string.Join('/', new[] { routePrefix, trigger.Route ?? function.Name }.Where(p => p.Length > 0));
            var parameters = RouteParameters(route);
            var path = paths.TryGetValue(PathKey(route), out var existing) ? existing : paths[PathKey(route)] = [];
            var entryPoint = type.GetMethod(function.EntryPoint[(function.EntryPoint.LastIndexOf('.') + 1)..])
                ?? throw new InvalidOperationException($"{function.EntryPoint} is not there.");
            foreach (var method in (trigger.Methods ?? ["get"]).Select(m => m.ToLowerInvariant()))
            {
                var access = Access.Of(type);
                var kinds = problems.Of(entryPoint, access, operation, parameters.Count > 0, method);
                var form = type.GetCustomAttribute<ProblemFormAttribute>()?.Form;
                path[method] = Operation(function.Name, method, operation, access, parameters, kinds, form, schemas, problemResponses);
                if (examples[function.Name] is JsonObject example)
                {
                    AddExample(path[method]!.AsObject(), example);
                }
            }
        }

        var pathsNode = new JsonObject();
        foreach (var (key, value) in paths)
        {
            pathsNode[key] = value;
        }

        var schemasNode = new JsonObject();
        foreach (var (key, value) in schemas)
        {
            schemasNode[key] = value;
        }

        var responsesNode = new JsonObject();
        foreach (var (key, value) in problemResponses)
        {
            responsesNode[key] = value;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Grants API",
                ["version"] = Version,
                ["description"] = "Grant programmes from application to evaluated effect: schemes, rounds, a verifiable lottery, assessment, awards, vouchers, follow-up and effect evaluation. Errors are RFC 9457 problem documents whose `type` is stable; each operation lists the problem types its code can answer with.",
            },
            ["tags"] = new JsonArray([.. pathsNode.SelectMany(p => p.Value!.AsObject().Select(o => o.Value!["tags"]![0]!.GetValue<string>())).Distinct().Order(StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["name"] = t })]),
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = pathsNode,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemasNode,
                ["responses"] = responsesNode,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
            },
        };
    }

    private static JsonObject EmbeddedExamples()
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("openapi-examples.json");
        return stream is null ? [] : JsonNode.Parse(stream)!.AsObject();
    }

    /// <summary>The example's request body and success response, where the operation takes and answers with JSON.</summary>
    private static void AddExample(JsonObject operation, JsonObject example)
    {
        if (example["request"] is { } request && operation["requestBody"]?["content"]?["application/json"] is JsonObject requestContent)
        {
            requestContent["example"] = request.DeepClone();
        }

        var success = operation["responses"]!.AsObject().First(r => r.Key[0] == '2').Value;
        if (example["response"] is { } response && success?["content"]?["application/json"] is JsonObject responseContent)
        {
            responseContent["example"] = response.DeepClone();
        }
    }

    private static Type FunctionType(FunctionEntry function, Assembly assembly)
    {
        var typeName = function.EntryPoint[..function.EntryPoint.LastIndexOf('.')];
        return assembly.GetType(typeName) ?? throw new InvalidOperationException($"{typeName} is not in {assembly.GetName().Name}.");
    }

    private static JsonObject Operation(
        string name, string method, ApiOperationAttribute operation, Access access, IReadOnlyList<string> routeParameters, IReadOnlySet<ProblemKind> problems,
        IProblemForm? form, IDictionary<string, JsonNode> schemas, IDictionary<string, JsonNode> problemResponses)
    {
        var parameters = new JsonArray();
        foreach (var parameter in routeParameters)
        {
            parameters.Add(new JsonObject { ["name"] = parameter, ["in"] = "path", ["required"] = true, ["schema"] = ValueSchema(RouteValues.Route.GetValueOrDefault(parameter), "string") });
        }

        foreach (var queryName in operation.QueryParameters)
        {
            parameters.Add(new JsonObject { ["name"] = queryName, ["in"] = "query", ["required"] = false, ["schema"] = ValueSchema(RouteValues.Query.GetValueOrDefault(queryName), queryName is "page" or "pageSize" ? "integer" : "string") });
        }

        if (operation.RequiresIfMatch)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = "If-Match", ["in"] = "header", ["required"] = true,
                ["description"] = "The ETag last read; a stale one gets 409.", ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }

        if (method == "post" && !operation.ChangesNothing)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = IdempotentRequests.HeaderName, ["in"] = "header", ["required"] = false,
                ["description"] = "Makes a retry safe: the same key and body return the original response with one effect; the same key with another body gets 422.",
                ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 255 },
            });
        }

        var success = new JsonObject { ["description"] = SuccessDescription(operation.SuccessStatus) };
        if (operation.ResponseSchema is { } published)
        {
            // One published document, or one of several (a protocol or a cut-off document, whichever the version is).
            var documents = published.Split(',', StringSplitOptions.TrimEntries).Select(name => PublishedSchemaRef(name, schemas)).ToArray();
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = documents.Length == 1 ? documents[0] : new JsonObject { ["oneOf"] = new JsonArray(documents) } } };
        }
        else if (operation.ResponseMediaType is { } mediaType)
        {
            // A file served as it is: a JSON one is a document of its own (an object), anything else bytes.
            var file = mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal)
                ? new JsonObject { ["type"] = "object" }
                : new JsonObject { ["type"] = "string", ["format"] = "binary" };
            success["content"] = new JsonObject { [mediaType] = new JsonObject { ["schema"] = file } };
        }
        else if (operation.Response is { } response)
        {
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaRef(response, schemas) } };
        }

        if (operation.ReturnsETag)
        {
            success["headers"] = new JsonObject { ["ETag"] = new JsonObject { ["description"] = "Send it back as If-Match to update.", ["schema"] = new JsonObject { ["type"] = "string" } } };
        }

        var responses = new JsonObject { [operation.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)] = success };
        if (operation.StartsWork)
        {
            var accepted = operation.SuccessStatus == 202 ? success : (JsonObject)(responses["202"] = success.DeepClone());
            accepted["description"] = "Accepted: the decision is recorded; what follows for every application runs in the background";
            var headers = accepted["headers"] as JsonObject ?? (JsonObject)(accepted["headers"] = new JsonObject());
            headers["Location"] = new JsonObject
            {
                ["description"] = "The operation's status (GET /operations/{operationId}): poll it until its status is Succeeded or Failed.",
                ["schema"] = new JsonObject { ["type"] = "string" },
            };
        }
        foreach (var kinds in problems.GroupBy(k => k.Status).OrderBy(g => g.Key))
        {
            IReadOnlyList<ProblemKind> ordered = [.. kinds.OrderBy(k => k.Slug, StringComparer.Ordinal)];
            responses[kinds.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = form is null
                ? ProblemResponseRef(ordered, problemResponses, schemas)
                : new JsonObject
                {
                    // A protocol's own error shape: the same kinds, each named by its problem type among the errors.
                    ["description"] = string.Join("; ", ordered.Select(k => $"{k.Title} ({k.Type})")),
                    ["content"] = new JsonObject { [form.MediaType] = new JsonObject { ["schema"] = SchemaRef(form.Body, schemas) } },
                    ["x-problem-types"] = new JsonArray([.. ordered.Select(k => (JsonNode)k.Type)]),
                };
        }

        foreach (var status in operation.PageStatuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // A status that is also a problem's gets the problem's response written out, with the page beside it.
            var page = responses[key] is JsonObject { } shared && shared["$ref"] is JsonValue reference
                ? responses[key] = problemResponses[reference.GetValue<string>()["#/components/responses/".Length..]].DeepClone()
                : responses[key] ??= new JsonObject { ["description"] = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), ["content"] = new JsonObject() };
            page["content"]![operation.ResponseMediaType ?? "application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } };
        }

        var result = new JsonObject
        {
            ["operationId"] = name,
            ["summary"] = operation.Summary,
            ["tags"] = new JsonArray(operation.Tag ?? "Platform"),
            ["description"] = access.AllowsAnonymous ? "Anyone may call this." : $"Roles: {string.Join(", ", access.Roles.Order(StringComparer.Ordinal))}.",
        };
        if (parameters.Count > 0)
        {
            result["parameters"] = parameters;
        }

        if (operation.RawBody)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/pdf"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } },
            };
            result["parameters"] ??= parameters;
            parameters.Add(new JsonObject { ["name"] = "fileName", ["in"] = "query", ["required"] = false, ["description"] = "Name to show for the file; only used as metadata.", ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        else if (operation.Request is { } request)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = SchemaRef(request, schemas) } },
            };
        }

        result["responses"] = responses;
        if (!access.AllowsAnonymous)
        {
            result["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() });
        }

        return result;
    }

    /// <summary>A route or query value's schema: the exact form the gate checks it against (<see cref="RouteValues"/>), where it has one.</summary>
    private static JsonObject ValueSchema(RouteValues.Form? form, string type) => form is null
        ? new JsonObject { ["type"] = type }
        : new JsonObject
        {
            ["type"] = type,
            // The gate's expression is anchored with \z; JSON Schema's dialect (ECMA-262) anchors with $.
            ["pattern"] = form.Pattern.ToString().Replace(@"\z", "$", StringComparison.Ordinal),
            ["description"] = $"{char.ToUpperInvariant(form.Described[0])}{form.Described[1..]}.",
        };

    /// <summary>
    /// A reference to the shared response for this set of problem kinds (Problem409ConcurrencyConflictInvalidTransition),
    /// so that operations answering alike share one response and a generated client one error type.
    /// </summary>
    private static JsonObject ProblemResponseRef(IReadOnlyList<ProblemKind> kinds, IDictionary<string, JsonNode> problemResponses, IDictionary<string, JsonNode> schemas)
    {
        var name = $"Problem{kinds[0].Status}" + string.Concat(kinds.SelectMany(k => k.Slug.Split('-')).Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
        if (!problemResponses.ContainsKey(name))
        {
            schemas[name] = ProblemSchema(kinds);
            problemResponses[name] = new JsonObject
            {
                ["description"] = string.Join("; ", kinds.Select(k => k.Title)),
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{name}" } } },
            };
        }

        return new JsonObject { ["$ref"] = $"#/components/responses/{name}" };
    }

    /// <summary>A published document's own schema (contracts/schemas, embedded in this assembly) as a component: lottery-protocol becomes LotteryProtocol.</summary>
    private static JsonNode PublishedSchemaRef(string name, IDictionary<string, JsonNode> schemas)
    {
        var component = string.Concat(name.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
        if (!schemas.ContainsKey(component))
        {
            using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream($"schemas/{name}.schema.json")
                ?? throw new InvalidOperationException($"The published schema {name} is not embedded.");
            var schema = JsonNode.Parse(stream)!.AsObject();
            // The document's dialect is the OpenAPI 3.1 default (JSON Schema 2020-12), the same as the schema's own.
            // Its definitions become components of their own (LotteryProtocol.cents), so that every reference
            // resolves from the document's root, as OpenAPI tools read them.
            schema.Remove("$schema");
            schema.Remove("$id");
            if (schema["$defs"] is JsonObject definitions)
            {
                schema.Remove("$defs");
                foreach (var (definition, value) in definitions.ToList())
                {
                    definitions.Remove(definition);
                    schemas[$"{component}.{definition}"] = Rebased(value!, component);
                }
            }

            schemas[component] = Rebased(schema, component);
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{component}" };
    }

    private static JsonNode SchemaRef(Type type, IDictionary<string, JsonNode> schemas)
    {
        var element = type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
        if (element is not null)
        {
            return new JsonObject { ["type"] = "array", ["items"] = SchemaRef(element, schemas) };
        }

        if (!schemas.ContainsKey(type.Name))
        {
            var schema = SchemaOptions.GetJsonSchemaAsNode(type, ExporterOptions);
            schemas[type.Name] = Rebased(Inlined(schema, schema), type.Name);
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{type.Name}" };
    }

    /// <summary>
    /// <paramref name="node"/> with every reference the exporter made into its own schema (a type met again as the element
    /// of a list or map: <c>"#/properties/a/items"</c>) replaced by a copy of what it points at. Such a pointer is valid JSON
    /// Schema but reaches into another component's insides once the schema is one of the document's, which generated clients
    /// do not follow; a copy says the same. A type that contains itself would need its own component: refused here, as no
    /// contract has one.
    /// </summary>
    private static JsonNode Inlined(JsonNode node, JsonNode root, int expanded = 0)
    {
        if (node is JsonObject pointer && pointer["$ref"] is JsonValue reference && reference.GetValue<string>() is ['#', '/', ..] target)
        {
            if (expanded > 16)
            {
                throw new InvalidOperationException($"A contract type contains itself ({target}); give it a component of its own.");
            }

            var steps = target[2..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            var copy = steps.Aggregate<string, JsonNode?>(root, (at, step) => at is JsonArray list && int.TryParse(step, System.Globalization.CultureInfo.InvariantCulture, out var index) ? list[index] : at?[step])?.DeepClone()
                ?? throw new InvalidOperationException($"The exporter's reference {target} points at nothing.");
            foreach (var (key, value) in pointer.Where(p => p.Key != "$ref").ToList())
            {
                copy[key] = value?.DeepClone();
            }

            return Inlined(copy, root, expanded + 1);
        }

        if (node is JsonObject container)
        {
            foreach (var (key, value) in container.ToList())
            {
                if (value is not null && Inlined(value, root, expanded) is var replaced && !ReferenceEquals(replaced, value))
                {
                    container[key] = replaced;
                }
            }
        }
        else if (node is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is { } item && Inlined(item, root, expanded) is var replaced && !ReferenceEquals(replaced, item))
                {
                    items[i] = replaced;
                }
            }
        }

        return node;
    }

    /// <summary>
    /// What the exporter cannot know from the types alone: the closed set a code belongs to (<see cref="ClosedSetAttribute"/>),
    /// integer widths, and that amounts in cents are never negative.
    /// </summary>
    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema)
    {
        // Any JSON value (a JsonNode member) is the schema true; written as {}, which says the same and which every
        // OpenAPI tool reads as a schema.
        if (schema is JsonValue anything && anything.GetValueKind() == JsonValueKind.True)
        {
            schema = new JsonObject();
        }

        if (schema is not JsonObject node)
        {
            return schema;
        }

        // A member left out when it has no value is not required, whatever its constructor says.
        if (context.TypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object && node["required"] is JsonArray required)
        {
            foreach (var omitted in context.TypeInfo.Properties.Where(p =>
                p.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false) is [JsonIgnoreAttribute { Condition: JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault }, ..]))
            {
                required.Remove(required.FirstOrDefault(r => r?.GetValue<string>() == omitted.Name));
            }
        }

        var number = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        if (number == typeof(long) || number == typeof(int))
        {
            node["format"] = number == typeof(long) ? "int64" : "int32";
            if (context.PropertyInfo?.Name.EndsWith("Cents", StringComparison.Ordinal) == true)
            {
                node["minimum"] = 0;
                node["description"] = "An amount in euro cents.";
                // What a request may carry (Http.AmountLimit); a response's totals add up what requests carried.
                if (context.PropertyInfo.DeclaringType?.Name.EndsWith("Response", StringComparison.Ordinal) == false)
                {
                    node["maximum"] = Domain.Common.Money.MaxCents;
                }
            }
        }

        if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(System.ComponentModel.DescriptionAttribute), inherit: false) is [System.ComponentModel.DescriptionAttribute said, ..])
        {
            node["description"] = said.Description;
        }

        if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.RegularExpressionAttribute), inherit: false)
            is [System.ComponentModel.DataAnnotations.RegularExpressionAttribute form, ..])
        {
            node["pattern"] = form.Pattern;
        }

        if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ClosedSetAttribute), inherit: false) is [ClosedSetAttribute closed, ..])
        {
            var set = ClosedSets.Named(closed.Name);
            var codes = node["items"] is JsonObject items ? items : node;
            var values = new JsonArray([.. set.Values.Select(v => (JsonNode)v)]);
            if (codes == node && node["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null"))
            {
                values.Add(null);
            }

            codes["enum"] = values;
            node["description"] = set.Meaning;
        }

        return node;
    }

    /// <summary>
    /// <paramref name="schema"/> with its references made relative to the document's root rather than its own: "#/…"
    /// becomes "#/components/schemas/{component}/…", and "#/$defs/x" the component the definition became.
    /// </summary>
    private static JsonNode Rebased(JsonNode schema, string component)
    {
        switch (schema)
        {
            case JsonObject node:
                foreach (var (key, value) in node.ToList())
                {
                    if (key == "$ref" && value is JsonValue reference && reference.GetValue<string>() is var target && target.StartsWith('#'))
                    {
                        node[key] = target.StartsWith("#/$defs/", StringComparison.Ordinal)
                            ? $"#/components/schemas/{component}.{target["#/$defs/".Length..]}"
                            : $"#/components/schemas/{component}{target[1..]}";
                    }
                    else if (value is not null)
                    {
                        Rebased(value, component);
                    }
                }

                break;
            case JsonArray items:
                foreach (var item in items.OfType<JsonNode>())
                {
                    Rebased(item, component);
                }

                break;
        }

        return schema;
    }

    /// <summary>The problem document, its <c>type</c> one of <paramref name="kinds"/>.</summary>
    private static JsonObject ProblemSchema(IReadOnlyList<ProblemKind> kinds) => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details. `type` is stable per kind of error (urn:grants:problem:…); `traceId` ties it to the logs.",
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. kinds.Select(k => (JsonNode)k.Type)]) },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["traceId"] = new JsonObject { ["type"] = "string" },
            ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } },
        },
        ["required"] = new JsonArray("type", "title", "status", "traceId"),
    };

    private static string SuccessDescription(int status) => status switch
    {
        201 => "Created",
        202 => "Accepted",
        204 => "No content",
        _ => "OK",
    };

    private static IReadOnlyList<string> RouteParameters(string route) =>
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(route).Parameters.Select(p => p.Name).ToList();

    /// <summary>OpenAPI path keys carry parameter names without constraints: {id:int} becomes {id}.</summary>
    private static string PathKey(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{\*?([^}:=?]+)[^}]*\}", "{$1}");
}

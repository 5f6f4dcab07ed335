using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using Grants.Functions.Platform.FunctionApp;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Platform.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from what Azure serves: routes and methods from functions.metadata,
/// access from each function's declared roles, descriptions and body types from <see cref="ApiOperationAttribute"/>.
/// Deterministic, so the committed copy in contracts/ can be compared byte for byte.
/// </summary>
public static class OpenApiDocument
{
    public const string Version = "1.0.0";

    private static readonly JsonSerializerOptions SchemaOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Render(IReadOnlyList<FunctionEntry> functions, string routePrefix, Assembly assembly) =>
        Build(functions, routePrefix, assembly).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    public static JsonObject Build(IReadOnlyList<FunctionEntry> functions, string routePrefix, Assembly assembly)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal) { ["Problem"] = ProblemSchema() };
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);

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
            foreach (var method in (trigger.Methods ?? ["get"]).Select(m => m.ToLowerInvariant()))
            {
                path[method] = Operation(function.Name, method, operation, Access.Of(type), parameters, schemas);
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

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Grants API",
                ["version"] = Version,
                ["description"] = "Grant programmes from application to evaluated effect: schemes, rounds, a verifiable lottery, assessment, awards, vouchers, follow-up and effect evaluation. Errors are RFC 9457 problem documents whose `type` is stable.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = pathsNode,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemasNode,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
            },
        };
    }

    private static Type FunctionType(FunctionEntry function, Assembly assembly)
    {
        var typeName = function.EntryPoint[..function.EntryPoint.LastIndexOf('.')];
        return assembly.GetType(typeName) ?? throw new InvalidOperationException($"{typeName} is not in {assembly.GetName().Name}.");
    }

    private static JsonObject Operation(string name, string method, ApiOperationAttribute operation, Access access, IReadOnlyList<string> routeParameters, IDictionary<string, JsonNode> schemas)
    {
        var parameters = new JsonArray();
        foreach (var parameter in routeParameters)
        {
            parameters.Add(new JsonObject { ["name"] = parameter, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var queryName in (operation.Query ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            parameters.Add(new JsonObject { ["name"] = queryName, ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = queryName == "pageSize" ? "integer" : "string" } });
        }

        if (operation.RequiresIfMatch)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = "If-Match", ["in"] = "header", ["required"] = true,
                ["description"] = "The ETag last read; a stale one gets 409.", ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }

        if (method == "post")
        {
            parameters.Add(new JsonObject
            {
                ["name"] = IdempotentRequests.HeaderName, ["in"] = "header", ["required"] = false,
                ["description"] = "Makes a retry safe: the same key and body return the original response with one effect; the same key with another body gets 422.",
                ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = 255 },
            });
        }

        var success = new JsonObject { ["description"] = SuccessDescription(operation.SuccessStatus) };
        if (operation.ResponseMediaType is { } mediaType)
        {
            success["content"] = new JsonObject { [mediaType] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" } } };
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
        foreach (var status in ProblemStatuses(operation, access, routeParameters.Count > 0, method))
        {
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = ProblemKind.All.First(k => k.Status == status).Title,
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
            };
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

    private static IEnumerable<int> ProblemStatuses(ApiOperationAttribute operation, Access access, bool hasRouteParameters, string method)
    {
        var statuses = new SortedSet<int> { 500, 503 };
        if (operation.Request is not null || operation.RawBody)
        {
            statuses.UnionWith([400, 413, 415, 422]);
        }

        if (!access.AllowsAnonymous)
        {
            statuses.UnionWith([401, 403]);
        }

        if (hasRouteParameters)
        {
            statuses.Add(404);
        }

        if (method is "post" or "put" or "patch" or "delete")
        {
            statuses.Add(409);
        }

        if (method == "post")
        {
            statuses.Add(422);
        }

        if (operation.RequiresIfMatch)
        {
            statuses.Add(428);
        }

        return statuses;
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
            schemas[type.Name] = SchemaOptions.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{type.Name}" };
    }

    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details. `type` is stable per kind of error (urn:grants:problem:…); `traceId` ties it to the logs.",
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. ProblemKind.All.Select(k => (JsonNode)k.Type)]) },
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

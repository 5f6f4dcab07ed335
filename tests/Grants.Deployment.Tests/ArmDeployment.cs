using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Grants.Deployment.Tests;

/// <summary>
/// What deploying a compiled ARM template would create, worked out offline for given parameter values:
/// parameters, variables, conditions, copy loops and modules (nested deployments, outputs included) are
/// evaluated as Resource Manager evaluates them. What only Azure knows — a resource's runtime properties,
/// read with <c>reference()</c> — stays a placeholder such as <c>⟪reference(Microsoft.Cdn/profiles/x).frontDoorId⟫</c>,
/// so a test can still see where a value comes from. uniqueString and guid are deterministic stand-ins,
/// not Azure's hashes.
/// </summary>
public sealed class ArmDeployment
{
    private const string SubscriptionId = "00000000-0000-0000-0000-000000000000";
    private readonly List<DeployedResource> _resources = [];

    private ArmDeployment(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        var root = new Scope(this, template, "", resourceGroup: null, provided: parameters.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.OrdinalIgnoreCase));
        root.DeployAll();
    }

    /// <summary>Every resource the deployment creates, in all modules, with its expressions evaluated; each module appears as its deployment (parameters and dependsOn) followed by its resources.</summary>
    public IReadOnlyList<DeployedResource> Resources => _resources;

    public static ArmDeployment Of(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters) => new(template, parameters);

    public IEnumerable<DeployedResource> OfType(string type) => _resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>A value only Azure knows at deployment time.</summary>
    public static bool IsPlaceholder(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.StartsWith('⟪');

    private static JsonValue Placeholder(string description) => JsonValue.Create($"⟪{description}⟫");

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag ? "True" : "False",
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    /// <summary>One template (main or a module's) with its parameter values, in one resource group or at subscription scope.</summary>
    private sealed class Scope
    {
        private readonly ArmDeployment _deployment;
        private readonly JsonObject _template;
        private readonly string _path;
        private readonly Dictionary<string, JsonNode?> _provided;
        private readonly Dictionary<string, JsonNode?> _parameters = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, JsonNode?> _variables = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, JsonObject> _modules = new(StringComparer.OrdinalIgnoreCase);

        public Scope(ArmDeployment deployment, JsonObject template, string path, string? resourceGroup, Dictionary<string, JsonNode?> provided)
        {
            _deployment = deployment;
            _template = template;
            _path = path;
            ResourceGroup = resourceGroup;
            _provided = provided;
        }

        public string? ResourceGroup { get; }

        private IEnumerable<JsonObject> TemplateResources => _template["resources"] switch
        {
            JsonObject symbolic => symbolic.Select(kv => kv.Value!.AsObject()),
            JsonArray list => list.Select(r => r!.AsObject()),
            _ => [],
        };

        public void DeployAll()
        {
            foreach (var (resource, loop) in Instances())
            {
                if (IsDeployment(resource))
                {
                    Module(resource, loop);
                }
                else
                {
                    _deployment._resources.Add(Evaluated(resource, loop));
                }
            }
        }

        /// <summary>The module's outputs object, as <c>reference(deploymentId)</c> returns it.</summary>
        private JsonObject ModuleNamed(string name)
        {
            foreach (var (resource, loop) in Instances().Where(i => IsDeployment(i.Resource)))
            {
                if (string.Equals(Text(Evaluate(resource["name"], loop)), name, StringComparison.OrdinalIgnoreCase))
                {
                    return Module(resource, loop);
                }
            }

            throw new InvalidOperationException($"{_path}: no module named {name} is deployed.");
        }

        private JsonObject Module(JsonObject resource, Loop loop)
        {
            var name = Text(Evaluate(resource["name"], loop));
            if (_modules.TryGetValue(name, out var done))
            {
                return done;
            }

            var properties = resource["properties"]!.AsObject();
            var provided = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (parameter, entry) in properties["parameters"]?.AsObject() ?? [])
            {
                var evaluated = Evaluate(entry, loop);
                provided[parameter] = evaluated is JsonObject wrapped && wrapped.ContainsKey("value") ? wrapped["value"]?.DeepClone() : throw new NotSupportedException($"{name}: parameter {parameter} has no value.");
            }

            var group = resource["resourceGroup"] is { } g ? Text(Evaluate(g, loop)) : ResourceGroup;
            var declared = new JsonObject
            {
                ["type"] = "Microsoft.Resources/deployments",
                ["name"] = name,
                ["dependsOn"] = Evaluate(resource["dependsOn"] ?? new JsonArray(), loop),
                ["parameters"] = new JsonObject(provided.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
            };
            _deployment._resources.Add(new DeployedResource("Microsoft.Resources/deployments", name, ResourceId(SubscriptionId, group, "Microsoft.Resources/deployments", [name]), declared, _path));
            var inner = new Scope(_deployment, properties["template"]!.AsObject(), _path.Length == 0 ? name : $"{_path}/{name}", group, provided);
            inner.DeployAll();
            var outputs = new JsonObject();
            foreach (var (output, definition) in properties["template"]!["outputs"]?.AsObject() ?? [])
            {
                outputs[output] = new JsonObject { ["value"] = inner.Evaluate(definition!["value"], Loop.None) };
            }

            var result = new JsonObject { ["outputs"] = outputs };
            _modules[name] = result;
            return result;
        }

        private IEnumerable<(JsonObject Resource, Loop Loop)> Instances()
        {
            foreach (var resource in TemplateResources)
            {
                if (resource["existing"]?.GetValue<bool>() == true)
                {
                    continue;
                }

                var loops = resource["copy"] is JsonObject copy
                    ? Enumerable.Range(0, Number(Evaluate(copy["count"], Loop.None))).Select(i => Loop.None.With(copy["name"]!.GetValue<string>(), i))
                    : [Loop.None];
                foreach (var loop in loops)
                {
                    if (resource["condition"] is not { } condition || Flag(Evaluate(condition, loop)))
                    {
                        yield return (resource, loop);
                    }
                }
            }
        }

        private DeployedResource Evaluated(JsonObject resource, Loop loop)
        {
            var body = new JsonObject();
            foreach (var (key, value) in resource)
            {
                if (key is not ("copy" or "condition" or "dependsOn"))
                {
                    body[key] = Evaluate(value, loop);
                }
            }

            var type = Text(body["type"]);
            var name = Text(body["name"]);
            var id = body["scope"] is { } scope
                ? $"{Text(scope)}/providers/{type}/{name}"
                : ResourceId(SubscriptionId, ResourceGroup, type, name.Split('/'));
            return new DeployedResource(type, name, id, body, _path);
        }

        private static bool IsDeployment(JsonObject resource) => resource["type"]!.GetValue<string>() == "Microsoft.Resources/deployments";

        /// <summary>A JSON value with every template expression in it evaluated (property copy loops included).</summary>
        public JsonNode? Evaluate(JsonNode? node, Loop loop)
        {
            switch (node)
            {
                case JsonValue value when value.TryGetValue<string>(out var text) && text.StartsWith('[') && text.EndsWith(']'):
                    return text.StartsWith("[[", StringComparison.Ordinal) ? JsonValue.Create(text[1..]) : Run(Expression.Parse(text[1..^1]), loop);
                case JsonObject map:
                    var result = new JsonObject();
                    foreach (var (key, value) in map)
                    {
                        if (key == "copy" && value is JsonArray copies)
                        {
                            foreach (var copy in copies.Select(c => c!.AsObject()))
                            {
                                var copyName = copy["name"]!.GetValue<string>();
                                var count = Number(Evaluate(copy["count"], loop));
                                result[copyName] = new JsonArray([.. Enumerable.Range(0, count).Select(i => Evaluate(copy["input"], loop.With(copyName, i)))]);
                            }
                        }
                        else
                        {
                            result[key] = Evaluate(value, loop);
                        }
                    }

                    return result;
                case JsonArray list:
                    return new JsonArray([.. list.Select(item => Evaluate(item, loop))]);
                default:
                    return node?.DeepClone();
            }
        }

        private JsonNode? Parameter(string name)
        {
            if (_parameters.TryGetValue(name, out var known))
            {
                return known?.DeepClone();
            }

            var definition = _template["parameters"]?[name] ?? throw new InvalidOperationException($"{_path}: unknown parameter {name}.");
            var value = _provided.TryGetValue(name, out var provided)
                ? provided
                : definition["defaultValue"] is { } fallback ? Evaluate(fallback, Loop.None) : throw new InvalidOperationException($"{_path}: parameter {name} has no value.");
            _parameters[name] = value;
            return value?.DeepClone();
        }

        private JsonNode? Variable(string name)
        {
            if (!_variables.TryGetValue(name, out var value))
            {
                value = Evaluate(_template["variables"]?[name] ?? throw new InvalidOperationException($"{_path}: unknown variable {name}."), Loop.None);
                _variables[name] = value;
            }

            return value?.DeepClone();
        }

        private JsonNode? Run(Expression expression, Loop loop) => expression switch
        {
            Expression.Literal literal => literal.Value?.DeepClone(),
            Expression.Member member => Member(Run(member.Target, loop), member.Name),
            Expression.Index index => Member(Run(index.Target, loop), Run(index.Key, loop)),
            Expression.Call call => Call(call, loop),
            _ => throw new NotSupportedException(expression.ToString()),
        };

        private static JsonNode? Member(JsonNode? target, JsonNode? key) => Member(target, Text(key), key is JsonValue v && v.TryGetValue<int>(out var i) ? i : null);

        private static JsonNode? Member(JsonNode? target, string name, int? position = null)
        {
            if (IsPlaceholder(target))
            {
                return Placeholder($"{Text(target)[1..^1]}.{name}");
            }

            return target switch
            {
                JsonArray list when position is { } i => list[i]?.DeepClone(),
                JsonObject map => map.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found
                    ? found.Value?.DeepClone()
                    : throw new InvalidOperationException($"No property {name} in {map.ToJsonString()}."),
                _ => throw new InvalidOperationException($"Cannot read {name} of {target?.ToJsonString() ?? "null"}."),
            };
        }

        private JsonNode? Call(Expression.Call call, Loop loop)
        {
            var function = call.Name.ToLowerInvariant();
            if (function == "if")
            {
                var condition = Run(call.Arguments[0], loop);
                return IsPlaceholder(condition) ? condition : Run(call.Arguments[Flag(condition) ? 1 : 2], loop);
            }

            var args = call.Arguments.Select(a => Run(a, loop)).ToList();
            var tolerant = function is "format" or "concat" or "createobject" or "createarray" or "union" or "coalesce" or "string" or "reference" or "guid" or "uniquestring";
            if (!tolerant && args.FirstOrDefault(IsPlaceholder) is { } unknown)
            {
                return Placeholder($"{call.Name}({Text(unknown)[1..^1]})");
            }

            return function switch
            {
                "parameters" => Parameter(Text(args[0])),
                "variables" => Variable(Text(args[0])),
                "copyindex" => CopyIndex(args, loop),
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                "null" => null,
                "not" => JsonValue.Create(!Flag(args[0])),
                "and" => JsonValue.Create(args.All(Flag)),
                "or" => JsonValue.Create(args.Any(Flag)),
                "equals" => JsonValue.Create(JsonNode.DeepEquals(args[0], args[1])),
                "greater" => JsonValue.Create(Number(args[0]) > Number(args[1])),
                "greaterorequals" => JsonValue.Create(Number(args[0]) >= Number(args[1])),
                "less" => JsonValue.Create(Number(args[0]) < Number(args[1])),
                "lessorequals" => JsonValue.Create(Number(args[0]) <= Number(args[1])),
                "empty" => JsonValue.Create(args[0] switch { null => true, JsonArray a => a.Count == 0, JsonObject o => o.Count == 0, _ => Text(args[0]).Length == 0 }),
                "length" => JsonValue.Create(args[0] switch { JsonArray a => a.Count, JsonObject o => o.Count, _ => Text(args[0]).Length }),
                "contains" => JsonValue.Create(args[0] switch
                {
                    JsonArray a => a.Any(item => JsonNode.DeepEquals(item, args[1])),
                    JsonObject o => o.ContainsKey(Text(args[1])),
                    _ => Text(args[0]).Contains(Text(args[1]), StringComparison.OrdinalIgnoreCase),
                }),
                "createobject" => new JsonObject(Enumerable.Range(0, args.Count / 2).Select(i => KeyValuePair.Create(Text(args[2 * i]), args[(2 * i) + 1]))),
                "createarray" => new JsonArray([.. args]),
                "union" => Union(args),
                "coalesce" => args.FirstOrDefault(a => a is not null)?.DeepClone(),
                "trygetvalue" or "tryget" => args.Skip(1).Aggregate(args[0], (target, key) => target is JsonObject o && o.FirstOrDefault(kv => string.Equals(kv.Key, Text(key), StringComparison.OrdinalIgnoreCase)) is { Key: not null } found ? found.Value?.DeepClone() : null),
                "format" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, Text(args[0]), [.. args.Skip(1).Select(Text)])),
                "concat" => args.All(a => a is JsonArray) ? new JsonArray([.. args.SelectMany(a => a!.AsArray().Select(i => i?.DeepClone()))]) : JsonValue.Create(string.Concat(args.Select(Text))),
                "string" => JsonValue.Create(Text(args[0])),
                "int" => JsonValue.Create(Number(args[0])),
                "tolower" => JsonValue.Create(Text(args[0]).ToLowerInvariant()),
                "toupper" => JsonValue.Create(Text(args[0]).ToUpperInvariant()),
                "replace" => JsonValue.Create(Text(args[0]).Replace(Text(args[1]), Text(args[2]), StringComparison.Ordinal)),
                "take" => args[0] is JsonArray a ? new JsonArray([.. a.Take(Number(args[1])).Select(i => i?.DeepClone())]) : JsonValue.Create(new string([.. Text(args[0]).Take(Number(args[1]))])),
                "last" => args[0] is JsonArray a ? a[^1]?.DeepClone() : JsonValue.Create(Text(args[0])[^1..]),
                "split" => new JsonArray([.. Text(args[0]).Split(Text(args[1])).Select(s => (JsonNode?)JsonValue.Create(s))]),
                "uniquestring" => JsonValue.Create(Hash(args)[..13]),
                "guid" => JsonValue.Create(new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', args.Select(Text))))[..16]).ToString()),
                "subscription" => new JsonObject { ["id"] = $"/subscriptions/{SubscriptionId}", ["subscriptionId"] = SubscriptionId, ["tenantId"] = "11111111-1111-1111-1111-111111111111" },
                "tenant" => new JsonObject { ["tenantId"] = "11111111-1111-1111-1111-111111111111" },
                "resourcegroup" => new JsonObject { ["id"] = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}", ["name"] = ResourceGroup, ["location"] = Placeholder("resourceGroup().location") },
                "environment" => new JsonObject
                {
                    ["name"] = "AzureCloud",
                    ["suffixes"] = new JsonObject { ["storage"] = "core.windows.net", ["keyvaultDns"] = ".vault.azure.net" },
                },
                "resourceid" => JsonValue.Create(ScopedResourceId(args)),
                "subscriptionresourceid" => JsonValue.Create(args.Count > 0 && !Text(args[0]).Contains('/') && Text(args[1]).Contains('/')
                    ? ResourceId(Text(args[0]), null, Text(args[1]), args.Skip(2).Select(Text))
                    : ResourceId(SubscriptionId, null, Text(args[0]), args.Skip(1).Select(Text))),
                "extensionresourceid" => JsonValue.Create($"{Text(args[0])}/providers/{Interleave(Text(args[1]), args.Skip(2).Select(Text))}"),
                "reference" => Reference(args[0]),
                _ => throw new NotSupportedException($"{_path}: the ARM function {call.Name} is not evaluated offline."),
            };
        }

        private JsonNode? Reference(JsonNode? target)
        {
            if (IsPlaceholder(target))
            {
                return Placeholder($"reference({Text(target)[1..^1]})");
            }

            var id = Text(target);
            const string deployments = "/providers/Microsoft.Resources/deployments/";
            var at = id.IndexOf(deployments, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                return ModuleNamed(id[(at + deployments.Length)..]);
            }

            var provider = id.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
            return Placeholder($"reference({(provider >= 0 ? id[(provider + "/providers/".Length)..] : id)})");
        }

        private static JsonNode? CopyIndex(List<JsonNode?> args, Loop loop)
        {
            var name = args.Count > 0 && args[0] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            var offset = args.LastOrDefault() is JsonValue o && o.TryGetValue<int>(out var number) ? number : 0;
            return JsonValue.Create(loop.Index(name) + offset);
        }

        private string ScopedResourceId(List<JsonNode?> args)
        {
            var texts = args.Select(Text).ToList();
            var typeAt = texts.FindIndex(t => t.Contains('/'));
            var (subscription, group) = typeAt switch
            {
                0 => (SubscriptionId, ResourceGroup),
                1 => (SubscriptionId, texts[0]),
                _ => (texts[0], texts[1]),
            };
            return ResourceId(subscription, group, texts[typeAt], texts.Skip(typeAt + 1));
        }

        private static JsonNode Union(List<JsonNode?> args)
        {
            if (args.All(a => a is JsonArray))
            {
                var merged = new JsonArray();
                foreach (var item in args.SelectMany(a => a!.AsArray()).Where(item => !merged.Any(m => JsonNode.DeepEquals(m, item))))
                {
                    merged.Add(item?.DeepClone());
                }

                return merged;
            }

            var result = new JsonObject();
            foreach (var (key, value) in args.SelectMany(a => a!.AsObject()))
            {
                result[key] = value?.DeepClone();
            }

            return result;
        }

        private static string Hash(IEnumerable<JsonNode?> args)
        {
            var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', args.Select(Text))));
            return string.Concat(bytes.Select(b => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]));
        }
    }

    private static string ResourceId(string subscription, string? group, string type, IEnumerable<string> names)
    {
        var prefix = group is null ? $"/subscriptions/{subscription}" : $"/subscriptions/{subscription}/resourceGroups/{group}";
        return type.Equals("Microsoft.Resources/resourceGroups", StringComparison.OrdinalIgnoreCase)
            ? $"/subscriptions/{subscription}/resourceGroups/{names.Single()}"
            : $"{prefix}/providers/{Interleave(type, names)}";
    }

    /// <summary>Microsoft.Storage/storageAccounts/blobServices/containers with [a, default, c] → Microsoft.Storage/storageAccounts/a/blobServices/default/containers/c.</summary>
    private static string Interleave(string type, IEnumerable<string> names)
    {
        var segments = type.Split('/');
        var parts = names.ToList();
        var builder = new StringBuilder(segments[0]);
        for (var i = 1; i < segments.Length; i++)
        {
            builder.Append('/').Append(segments[i]).Append('/').Append(parts[i - 1]);
        }

        return builder.ToString();
    }

    private static bool Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag)
        ? flag
        : throw new InvalidOperationException($"Expected true or false, found {node?.ToJsonString() ?? "null"}.");

    private static int Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number)
        ? number
        : node is JsonValue other && other.TryGetValue<long>(out var big) ? checked((int)big)
        : node is JsonValue text && text.TryGetValue<string>(out var digits) && int.TryParse(digits, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw new InvalidOperationException($"Expected a number, found {node?.ToJsonString() ?? "null"}.");

    /// <summary>The copy-loop positions an expression is evaluated at (copyIndex()).</summary>
    private sealed class Loop
    {
        public static readonly Loop None = new([]);

        private readonly (string Name, int Index)[] _positions;

        private Loop((string Name, int Index)[] positions) => _positions = positions;

        public Loop With(string name, int index) => new([.. _positions, (name, index)]);

        public int Index(string? name) => name is null
            ? _positions.Length > 0 ? _positions[0].Index : throw new InvalidOperationException("copyIndex() outside a copy loop.")
            : _positions.Last(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Index;
    }

    /// <summary>A template expression, parsed: literals, function calls, <c>.property</c> and <c>[index]</c>.</summary>
    private abstract record Expression
    {
        public sealed record Literal(JsonNode? Value) : Expression;

        public sealed record Call(string Name, IReadOnlyList<Expression> Arguments) : Expression;

        public sealed record Member(Expression Target, string Name) : Expression;

        public sealed record Index(Expression Target, Expression Key) : Expression;

        public static Expression Parse(string text)
        {
            var position = 0;
            var expression = Parse(text, ref position);
            Skip(text, ref position);
            return position == text.Length ? expression : throw new FormatException($"Unexpected '{text[position..]}' in [{text}].");
        }

        private static Expression Parse(string text, ref int position)
        {
            Skip(text, ref position);
            Expression expression;
            if (text[position] == '\'')
            {
                var builder = new StringBuilder();
                position++;
                while (true)
                {
                    if (text[position] == '\'' && position + 1 < text.Length && text[position + 1] == '\'')
                    {
                        builder.Append('\'');
                        position += 2;
                    }
                    else if (text[position] == '\'')
                    {
                        position++;
                        break;
                    }
                    else
                    {
                        builder.Append(text[position++]);
                    }
                }

                expression = new Literal(JsonValue.Create(builder.ToString()));
            }
            else if (char.IsDigit(text[position]) || text[position] == '-')
            {
                var start = position++;
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }

                expression = new Literal(JsonValue.Create(int.Parse(text[start..position], CultureInfo.InvariantCulture)));
            }
            else
            {
                var name = Identifier(text, ref position);
                Skip(text, ref position);
                Expect(text, ref position, '(');
                var arguments = new List<Expression>();
                Skip(text, ref position);
                while (text[position] != ')')
                {
                    arguments.Add(Parse(text, ref position));
                    Skip(text, ref position);
                    if (text[position] == ',')
                    {
                        position++;
                    }
                }

                position++;
                expression = new Call(name, arguments);
            }

            while (true)
            {
                Skip(text, ref position);
                if (position < text.Length && text[position] == '.')
                {
                    position++;
                    expression = new Member(expression, Identifier(text, ref position));
                }
                else if (position < text.Length && text[position] == '[')
                {
                    position++;
                    var key = Parse(text, ref position);
                    Skip(text, ref position);
                    Expect(text, ref position, ']');
                    expression = new Index(expression, key);
                }
                else
                {
                    return expression;
                }
            }
        }

        private static string Identifier(string text, ref int position)
        {
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '$'))
            {
                position++;
            }

            return position > start ? text[start..position] : throw new FormatException($"Expected a name at {position} in [{text}].");
        }

        private static void Expect(string text, ref int position, char expected)
        {
            if (position >= text.Length || text[position] != expected)
            {
                throw new FormatException($"Expected '{expected}' at {position} in [{text}].");
            }

            position++;
        }

        private static void Skip(string text, ref int position)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }
    }
}

/// <summary>One resource a deployment creates: its type, name, full id, evaluated definition and the module that declares it.</summary>
public sealed record DeployedResource(string Type, string Name, string Id, JsonObject Body, string Module)
{
    public JsonNode? Properties => Body["properties"];

    /// <summary>The resource an extension resource (role assignment, lock, diagnostic setting) applies to.</summary>
    public string? Scope => Body["scope"]?.GetValue<string>();

    public override string ToString() => Id;
}

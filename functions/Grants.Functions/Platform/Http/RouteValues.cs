using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Grants.Domain.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// The exact form of every value a route or a query string carries towards storage — into a table
/// key, a query filter or a blob name. <see cref="RequestGate"/> checks each before any handler runs,
/// so no request can name storage outside what its route is about (a <c>../</c> in a blob name, a
/// <c>/</c> or <c>#</c> in a table key). A route parameter without a form here fails the hostile-input sweep.
/// </summary>
public static class RouteValues
{
    /// <param name="Pattern">The whole value must match.</param>
    /// <param name="Described">What such a value looks like, for the problem response.</param>
    public sealed record Form(Regex Pattern, string Noun, string Described);

    private const string Hex12 = "[0-9a-f]{12}";
    private const string Kvk = "[0-9]{8}";
    private const string Round = "round-" + Hex12;
    private const string Application = "app-" + Hex12 + "-" + Kvk;
    private const string Pseudonym = "P-[0-9a-f]{10}";
    private const string Survey = "survey-" + Round + "-" + Pseudonym + "-w[0-9]{1,2}";

    /// <summary>
    /// How a round's id becomes a UUID where a protocol names things by UUID (CommonGrants' opportunities): "grants" in ASCII,
    /// version 8 (RFC 9562's form for ids made by their own rule), the RFC's variant, then the round's 12 hexadecimal digits.
    /// </summary>
    public const string OpportunityPrefix = "6772616e-7473-8000-8000-";

    /// <summary>Every aggregate's id (the audit routes take any of them).</summary>
    private const string Aggregate =
        Round + "|scheme-[0-9a-f]{32}|" + Application + "|(?:assessment|grant|voucher)-" + Application
        + "|committee-" + Round + "|(?:org|supplier)-" + Kvk + "|" + Survey;

    /// <summary>Route parameters by name; each name means the same thing on every route.</summary>
    public static IReadOnlyDictionary<string, Form> Route { get; } = new Dictionary<string, Form>(StringComparer.Ordinal)
    {
        ["roundId"] = Of(Round, "round", "\"round-\" and 12 lowercase hexadecimal digits"),
        ["schemeId"] = Of("scheme-[0-9a-f]{32}", "scheme", "\"scheme-\" and 32 lowercase hexadecimal digits"),
        ["applicationId"] = Of(Application, "application", "\"app-\", 12 lowercase hexadecimal digits, \"-\" and a KvK number"),
        ["assessmentId"] = Of("assessment-" + Application, "assessment", "\"assessment-\" and an application id"),
        ["grantId"] = Of("grant-" + Application, "grant", "\"grant-\" and an application id"),
        ["voucherId"] = Of("voucher-" + Application, "voucher", "\"voucher-\" and an application id"),
        ["surveyId"] = Of(Survey, "survey", "\"survey-\", a round id, a pseudonym and the wave (\"-w1\")"),
        ["aggregateId"] = Of(Aggregate, "record", "the id of a scheme, round, application, assessment, committee, grant, voucher, organisation, supplier or survey"),
        ["kvk"] = Of(Kvk, "organisation", "a KvK number: eight digits"),
        ["kind"] = Of("[a-z][a-z-]{0,39}", "kind", "lowercase letters and hyphens"),
        ["requestId"] = Of("ir-[0-9]{1,4}", "information request", "\"ir-\" and a number"),
        ["sheetId"] = Of("sheet-[0-9]{1,4}", "score sheet", "\"sheet-\" and a number"),
        ["advanceId"] = Of("advance-[0-9]{1,4}", "advance", "\"advance-\" and a number"),
        ["token"] = Of("[A-Za-z0-9_-]{1,400}\\.[A-Za-z0-9_-]{43}", "questionnaire", "the token in its invitation"),
        ["year"] = Of("[0-9]{4}", "year", "four digits"),
        // A UUID is read in either case (RFC 9562); the round's id it names is lowercase.
        ["oppId"] = Of("6772616[eE]-7473-8000-8000-[0-9a-fA-F]{12}", "opportunity", $"a UUID, \"{OpportunityPrefix}\" and the round's 12 hexadecimal digits"),
        ["file"] = Of("extension\\.json|360-giving-schema\\.json", "file", "extension.json or 360-giving-schema.json"),
        ["operationId"] = Of(Work.OperationIds.Pattern, "operation", "\"op-\", the kind of work, \"-\" and a round id, as the Location of a 202 response gives it"),
    };

    /// <summary>Query parameters that reach storage, by name.</summary>
    public static IReadOnlyDictionary<string, Form> Query { get; } = new Dictionary<string, Form>(StringComparer.Ordinal)
    {
        ["protocolHash"] = Of("[0-9a-f]{64}", "protocol", "64 lowercase hexadecimal digits"),
        // Table storage's continuation marker as the previous page returned it: the next partition and row key.
        ["continuationToken"] = Of("[A-Za-z0-9!*=+/._-]{1,1024}(?: [A-Za-z0-9!*=+/._-]{1,1024})?", "page", "the continuationToken of the previous page"),
    };

    private static readonly ConcurrentDictionary<Type, string[]> Templates = new();
    private static readonly ConcurrentDictionary<Type, string[]> QueryNames = new();

    /// <summary>A problem response for the first route or query value of this request that has not its exact form; null when all have.</summary>
    public static IResult? Check(Type function, HttpRequest request) => CheckRoute(function, request) ?? CheckQuery(function, request);

    /// <summary>404 for a route value of another form: no such thing can exist.</summary>
    public static IResult? CheckRoute(Type function, HttpRequest request)
    {
        var template = Templates.GetOrAdd(function, TemplateOf);
        var path = request.Path.Value?.Trim('/').Split('/') ?? [];
        if (template.Length > 0 && path.Length >= template.Length)
        {
            var values = path[^template.Length..];
            for (var i = 0; i < template.Length; i++)
            {
                if (ParameterName(template[i]) is { } name && Route.TryGetValue(name, out var form) && !form.Pattern.IsMatch(values[i]))
                {
                    return Problems.Of(ProblemKind.NotFound, $"There is no {form.Noun} \"{Shown(values[i])}\": {English.WithArticle(form.Noun)} is named by {form.Described}.");
                }
            }
        }

        return null;
    }

    /// <summary>
    /// 422 for a value of another form in a query parameter the function takes (<see cref="OpenApi.ApiOperationAttribute.Query"/>);
    /// a parameter it does not take is ignored, as any other.
    /// </summary>
    public static IResult? CheckQuery(Type function, HttpRequest request)
    {
        foreach (var name in QueryNames.GetOrAdd(function, DeclaredQuery))
        {
            if (Query.TryGetValue(name, out var form) && request.Query.TryGetValue(name, out var given) && (given.Count != 1 || !form.Pattern.IsMatch(given[0] ?? "")))
            {
                // Given twice, a value would reach storage as both joined by a comma.
                return Problems.Validation(new Dictionary<string, string[]> { [name] = [given.Count > 1 ? "must be given once" : $"must be {form.Described}"] });
            }
        }

        return null;
    }

    private static string[] DeclaredQuery(Type function) =>
        function.GetCustomAttribute<OpenApi.ApiOperationAttribute>()?.QueryParameters ?? [];

    /// <summary>The route template's segments of the function class's HTTP trigger; empty for a catch-all route.</summary>
    private static string[] TemplateOf(Type function)
    {
        var route = function.GetMethods()
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters())
            .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()?.Route)
            .FirstOrDefault(r => r is not null);
        return route is null || route.Contains("{*", StringComparison.Ordinal) ? [] : route.Trim('/').Split('/');
    }

    /// <summary><c>{roundId}</c> → roundId, <c>{year:int}</c> → year; null for a literal segment.</summary>
    private static string? ParameterName(string segment) =>
        segment.StartsWith('{') && segment.EndsWith('}') ? segment[1..^1].Split(':')[0] : null;

    private static string Shown(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private static Form Of(string pattern, string noun, string described) =>
        new(new Regex($"^(?:{pattern})\\z", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1)), noun, described);
}

using Grants.Functions.Platform.Commands;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// The <c>format</c> query value of a route that answers in more than one form (monitoring, the open data): json when the
/// query names none, else exactly one of the route's formats; anything else is refused (422) before any work is done.
/// </summary>
public static class ResponseFormat
{
    public const string Json = "json";
    public const string Csv = "csv";

    public static Result<string> Read(IQueryCollection query, IReadOnlyList<string> formats)
    {
        var format = query.ContainsKey("format") ? query["format"].ToString() : Json;
        return formats.Contains(format, StringComparer.Ordinal)
            ? format
            : Failure.Invalid(new Dictionary<string, string[]> { ["format"] = [$"must be {string.Join(", ", formats.Take(formats.Count - 1))} or {formats[^1]}"] });
    }
}

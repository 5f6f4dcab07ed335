using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Grants.Contracts;
using Grants.Domain.Common;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// The one way a function reads a JSON body: content type, size, strict parsing (names are
/// case-sensitive, unknown and repeated fields are refused), required fields, the limit on amounts
/// (<see cref="AmountLimit"/>), then the body's own validation. Every failure is a problem response and nothing has been stored.
/// </summary>
public static partial class JsonBody
{
    public static JsonSerializerOptions Strict { get; } = new(JsonSerializerDefaults.Web)
    {
        // "Seed" beside "seed", or "seed" twice, would otherwise let one reader see a value another does not.
        PropertyNameCaseInsensitive = false,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // A quoted number is a wrong type, not a number: "5000000" is refused where cents are expected.
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return (null, Problems.Of(ProblemKind.UnsupportedMediaType, "Send the body as application/json."));
        }

        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxJsonBodyBytes;
        if (request.ContentLength > limit)
        {
            return (null, Problems.Of(ProblemKind.PayloadTooLarge, $"The body may be at most {limit} bytes."));
        }

        var buffer = new MemoryStream();
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
        }

        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return (null, Problems.Of(ProblemKind.PayloadTooLarge, $"The body may be at most {limit} bytes."));
            }
        }

        T? value;
        var body = buffer.ToArray();
        try
        {
            value = JsonSerializer.Deserialize<T>(body, Strict);
        }
        catch (JsonException e)
        {
            return (null, Problems.Of(ProblemKind.MalformedRequest, Describe(e, body)));
        }

        if (value is null)
        {
            return (null, Problems.Of(ProblemKind.MalformedRequest, "The body must be a JSON object."));
        }

        var errors = AmountLimit.Check(value)
            .Concat(value is IValidatable validatable ? validatable.Validate() : [])
            .GroupBy(e => e.Field, e => e.Error)
            .ToDictionary(g => g.Key, g => g.ToArray());
        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors));
        }

        return (value, null);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>
    /// Says what is wrong in the caller's terms: the field by its JSON path, never the .NET type the
    /// body is read into, and never the input itself.
    /// </summary>
    /// <param name="body">The body read, to name what a number the field cannot hold looks like; empty when not at hand.</param>
    public static string Describe(JsonException e, ReadOnlySpan<byte> body = default)
    {
        var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        var message = e.Message;
        if (message.StartsWith("Duplicate property", StringComparison.Ordinal) && field is not null)
        {
            return $"The field '{field}' appears more than once.";
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) && field is not null)
        {
            return $"The field '{field}' is not known here (field names are case-sensitive).";
        }

        if (MissingFields().Match(message) is { Success: true } missing)
        {
            return $"Required field(s) missing: {missing.Groups["names"].Value.Replace("'", "", StringComparison.Ordinal)}.";
        }

        if (message.Contains("doesn't allow null values", StringComparison.Ordinal) && field is not null)
        {
            return $"The field '{field}' must not be null.";
        }

        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) && field is not null)
        {
            return $"The field '{field}' {WhatIsWrong(e, body)}";
        }

        return e.Path is { Length: > 0 } where ? $"The body is not valid JSON at {where}." : "The body is not valid JSON.";
    }

    /// <summary>What is wrong with a value the field's type cannot hold, from the reader's inner exception and the value itself.</summary>
    private static string WhatIsWrong(JsonException e, ReadOnlySpan<byte> body)
    {
        if (e.InnerException is InvalidOperationException && ExpectedToken().Match(e.InnerException.Message) is { Success: true } expected)
        {
            return $"has the wrong type: {English.WithArticle(expected.Groups["kind"].Value)} is expected.";
        }

        if (e.InnerException is FormatException && NumericType().Match(e.InnerException.Message) is { Success: true } numeric
            && Limits.TryGetValue(numeric.Groups["type"].Value, out var limits))
        {
            var literal = NumberEndingAt(body, e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            return literal.IndexOfAny(['.', 'e', 'E']) >= 0 ? "must be a whole number."
                : literal.StartsWith('-') ? $"is a number too small for it: at least {limits.Min}."
                : literal.Length > 0 ? $"is a number too large for it: at most {limits.Max}."
                : "has the wrong type.";
        }

        return "has the wrong type.";
    }

    private static readonly Dictionary<string, (string Min, string Max)> Limits = new(StringComparer.Ordinal)
    {
        ["Int64"] = (long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["Int32"] = (int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>The number literal that ends where the reader stopped (line and byte position as the reader reports them).</summary>
    private static string NumberEndingAt(ReadOnlySpan<byte> body, long line, long position)
    {
        var start = 0;
        for (var l = 0L; l < line && start < body.Length; l++)
        {
            var next = body[start..].IndexOf((byte)'\n');
            start = next < 0 ? body.Length : start + next + 1;
        }

        var end = (int)Math.Min(body.Length, start + position);
        var from = end;
        while (from > start && "0123456789.eE+-"u8.Contains(body[from - 1]))
        {
            from--;
        }

        return System.Text.Encoding.ASCII.GetString(body[from..end]);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"as an? (?<kind>number|string|boolean)\.?$")]
    private static partial System.Text.RegularExpressions.Regex ExpectedToken();

    [System.Text.RegularExpressions.GeneratedRegex(@"out of bounds for an? (?<type>Int64|Int32)\.?$")]
    private static partial System.Text.RegularExpressions.Regex NumericType();

    [System.Text.RegularExpressions.GeneratedRegex(@"missing required properties including: (?<names>.+)\.$")]
    private static partial System.Text.RegularExpressions.Regex MissingFields();
}

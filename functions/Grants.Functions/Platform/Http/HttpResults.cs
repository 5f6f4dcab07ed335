using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Grants.Functions.Platform.Http;

/// <summary>Small additions to results and requests that every function uses the same way.</summary>
public static class HttpResults
{
    /// <summary>Adds the aggregate's ETag, which clients send back as If-Match to update it.</summary>
    public static IResult WithETag(this IResult result, ETag etag) => new ETagged(result, etag.ToString("H"));

    public static string? IdempotencyKey(this HttpRequest request) =>
        request.Headers.TryGetValue(IdempotentRequests.HeaderName, out var key) && IdempotentRequests.IsValidKey(key.ToString()) ? key.ToString() : null;

    /// <summary>The If-Match ETag an update must carry, or the problem to answer when it is missing.</summary>
    public static (ETag? ETag, IResult? Problem) RequireIfMatch(this HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString();
        return string.IsNullOrWhiteSpace(value) || value == "*"
            ? (null, Problems.Of(ProblemKind.PreconditionRequired, "Send the ETag you last read as If-Match, so a concurrent change is not overwritten."))
            : (new ETag(value), null);
    }

    private sealed class ETagged(IResult inner, string etag) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[HeaderNames.ETag] = etag;
            return inner.ExecuteAsync(httpContext);
        }
    }
}

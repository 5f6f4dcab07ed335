using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// A response rendered to bytes, so that exactly these bytes can be sent now and replayed later
/// for the same Idempotency-Key.
/// </summary>
public sealed record CapturedResponse(int StatusCode, string? ContentType, string? Location, string? ETag, byte[] Body) : IResult
{
    public static async Task<CapturedResponse> CaptureAsync(IResult result, HttpContext original)
    {
        var context = new DefaultHttpContext { RequestServices = original.RequestServices };
        context.Request.Scheme = original.Request.Scheme;
        context.Request.Host = original.Request.Host;
        context.Request.PathBase = original.Request.PathBase;
        context.Request.Path = original.Request.Path;
        context.Request.Method = original.Request.Method;
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return new CapturedResponse(
            context.Response.StatusCode,
            context.Response.ContentType,
            context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            context.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null,
            body.ToArray());
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        if (ContentType is not null)
        {
            response.ContentType = ContentType;
        }

        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        if (ETag is not null)
        {
            response.Headers.ETag = ETag;
        }

        response.ContentLength = Body.Length;
        await response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}

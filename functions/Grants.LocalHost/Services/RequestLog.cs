using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grants.LocalHost.Services;

/// <summary>
/// One line per request on the local host — method, path, status and time — in place of the framework's
/// several (their categories log warnings only; see <see cref="LocalFunctionsHost"/>'s defaults).
/// </summary>
public static partial class RequestLog
{
    public const string Category = "Grants.LocalHost.Requests";

    public static async Task LogAsync(HttpContext context, RequestDelegate next)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Request(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} in {Milliseconds:0} ms")]
    private static partial void Request(ILogger logger, string method, string path, int status, double milliseconds);
}

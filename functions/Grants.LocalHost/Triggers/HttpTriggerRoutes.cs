using Grants.LocalHost.Invocation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grants.LocalHost.Triggers;

/// <summary>Maps every HTTP trigger to the route and methods Azure Functions would serve it on.</summary>
public static class HttpTriggerRoutes
{
    public static void MapHttpTriggers(this WebApplication app, FunctionCatalog catalog)
    {
        foreach (var function in catalog.Functions.Where(f => f.Trigger.IsHttpTrigger))
        {
            var pattern = RoutePattern(catalog.RoutePrefix, function);
            var methods = function.Trigger.Methods?.Select(m => m.ToUpperInvariant()).ToArray();
            RequestDelegate handler = context => InvokeAsync(function, context);
            var endpoint = methods is { Length: > 0 } ? app.MapMethods(pattern, methods, handler) : app.Map(pattern, handler);
            endpoint.WithDisplayName(function.Name);
        }
    }

    public static string RoutePattern(string routePrefix, HostedFunction function)
    {
        var route = function.Trigger.Route ?? function.Name;
        return string.IsNullOrEmpty(routePrefix) ? "/" + route : $"/{routePrefix}/{route}";
    }

    private static async Task InvokeAsync(HostedFunction function, HttpContext context)
    {
        var returned = await function.InvokeAsync(context.RequestServices, new InvocationInput(context, null, context.RequestAborted));
        switch (returned)
        {
            case IResult result:
                await result.ExecuteAsync(context);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await TypedResults.Ok(returned).ExecuteAsync(context);
                break;
        }
    }
}

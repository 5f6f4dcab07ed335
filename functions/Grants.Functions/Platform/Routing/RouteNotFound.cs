using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Routing;

/// <summary>
/// Answers any API path no other function matches with a problem response instead of an empty 404.
/// A catch-all route has the lowest routing precedence, so every specific route wins over it.
/// </summary>
[AnonymousAllowed]
[ApiOperation("Answers unknown API routes with a problem response", Hidden = true)]
public sealed class RouteNotFound
{
    [Function(nameof(RouteNotFound))]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = "{*path}")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        SecurityHeaders.Apply(request.HttpContext.Response);
        return Problems.Of(ProblemKind.RouteNotFound, $"{request.Method} {request.Path} is not part of the Grants API; see /api/openapi.json.");
    }
}

using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

public sealed class GetScheme(RequestGate gate, SchemeStore schemes)
{
    [Function(nameof(GetScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, Access.For(Roles.All.ToArray()), async (_, ct) =>
            await schemes.FindAsync(schemeId, ct) is { } stored
                ? TypedResults.Ok(SchemeStore.ToResponse(stored)).WithETag(stored.ETag)
                : Problems.Of(ProblemKind.NotFound, $"There is no scheme {schemeId}."),
            cancellationToken);
}

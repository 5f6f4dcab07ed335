using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

public sealed class CreateScheme(RequestGate gate, CreateSchemeHandler handler)
{
    [Function(nameof(CreateScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, Access.For(Roles.Ministry), async (caller, ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<CreateSchemeRequest>(request, ct);
            return problem ?? await handler.HandleAsync(body!, caller, request.IdempotencyKey(), ct);
        }, cancellationToken);
}

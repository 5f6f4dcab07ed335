using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Create a scheme (regeling) under which rounds are opened", Tag = "Schemes", Request = typeof(CreateSchemeRequest), Response = typeof(SchemeResponse), SuccessStatus = 201, ReturnsETag = true)]
public sealed class CreateScheme(RequestGate gate, CreateSchemeHandler handler)
{
    [Function(nameof(CreateScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CreateScheme, CreateSchemeRequest>(request, (caller, body, ct) => handler.HandleAsync(body, caller, request.IdempotencyKey(), ct), cancellationToken);
}

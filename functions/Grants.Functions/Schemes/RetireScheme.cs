using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Retire a scheme: it keeps its history but opens no new rounds", Tag = "Schemes", Request = typeof(RetireSchemeRequest), Response = typeof(SchemeResponse), ReturnsETag = true)]
public sealed class RetireScheme(RequestGate gate, RetireSchemeHandler handler)
{
    [Function(nameof(RetireScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes/{schemeId}/retire")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RetireScheme, RetireSchemeRequest>(request, (caller, body, ct) => handler.HandleAsync(schemeId, body, caller, ct), cancellationToken);
}

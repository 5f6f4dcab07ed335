using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Rename a scheme", Tag = "Schemes", Request = typeof(RenameSchemeRequest), Response = typeof(SchemeResponse), RequiresIfMatch = true, ReturnsETag = true)]
public sealed class RenameScheme(RequestGate gate, RenameSchemeHandler handler)
{
    [Function(nameof(RenameScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "schemes/{schemeId}/name")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunUpdateAsync<RenameScheme, RenameSchemeRequest>(request, (caller, ifMatch, body, ct) => handler.HandleAsync(schemeId, ifMatch, body, caller, ct), cancellationToken);
}

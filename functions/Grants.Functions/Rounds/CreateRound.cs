using Grants.Contracts.Rounds;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Create a round (tijdvak) of a scheme, in draft", Tag = "Rounds", Request = typeof(CreateRoundRequest), Response = typeof(RoundResponse), SuccessStatus = 201, ReturnsETag = true)]
public sealed class CreateRound(RequestGate gate, RoundHandlers handler)
{
    [Function(nameof(CreateRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes/{schemeId}/rounds")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CreateRound, CreateRoundRequest>(request, (caller, body, ct) => handler.CreateAsync(schemeId, body, caller, request.IdempotencyKey(), ct), cancellationToken);
}

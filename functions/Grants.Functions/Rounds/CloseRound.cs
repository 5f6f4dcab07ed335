using Grants.Contracts.Rounds;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Close a round now (it also closes by itself at its closing time); every applicant is told", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true)]
public sealed class CloseRound(RequestGate gate, RoundHandlers handler)
{
    [Function(nameof(CloseRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/close")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CloseRound>(request, async (caller, ct) =>
        {
            return await handler.CloseAsync(roundId, caller, ct);
        }, cancellationToken);
}

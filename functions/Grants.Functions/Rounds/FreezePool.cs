using Grants.Contracts.Rounds;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Freeze a closed round's pool of eligible applications for the lottery", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true)]
public sealed class FreezePool(RequestGate gate, PoolFreezing freezing)
{
    [Function(nameof(FreezePool))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/pool/freeze")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<FreezePool>(request, async (caller, ct) => (await freezing.FreezeAsync(roundId, caller, ct)).Ok(RoundResponses.From), cancellationToken);
}

using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry, Roles.Notary)]
[ApiOperation("Reveal your seed once the pool is frozen; it must match your commitment", Tag = "Lottery", Request = typeof(RevealSeedRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class RevealSeed(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(RevealSeed))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/reveals")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RevealSeed, RevealSeedRequest>(request, (caller, body, ct) => handler.RevealAsync(roundId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Draw: order the frozen pool, allocate the budget, compute every assignment probability and store the protocol write-once", Tag = "Lottery", Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class DrawLottery(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(DrawLottery))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/draw")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DrawLottery>(request, async (caller, ct) =>
        {
            return await handler.DrawAsync(roundId, caller, ct);
        }, cancellationToken);
}

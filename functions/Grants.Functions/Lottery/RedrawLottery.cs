using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Set a draw aside with a reason (visible to everyone); a new draw needs new commitments", Tag = "Lottery", Request = typeof(RedrawRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class RedrawLottery(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(RedrawLottery))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/redraw")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RedrawLottery, RedrawRequest>(request, (caller, body, ct) => handler.RedrawAsync(roundId, body, caller, ct), cancellationToken);
}

using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry, Roles.Notary)]
[ApiOperation("Commit to your secret seed for the round's lottery (before the round closes)", Tag = "Lottery", Request = typeof(CommitSeedRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class CommitSeed(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(CommitSeed))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/commitments")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CommitSeed, CommitSeedRequest>(request, (caller, body, ct) => handler.CommitAsync(roundId, body, caller, ct), cancellationToken);
}

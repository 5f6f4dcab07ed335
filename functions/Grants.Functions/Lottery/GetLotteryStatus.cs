using Grants.Contracts.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[AnonymousAllowed]
[ApiOperation("The lottery's state in a round: commitments, reveals, the draw and any draw set aside (public)", Tag = "Lottery", Response = typeof(LotteryStatusResponse))]
public sealed class GetLotteryStatus(RequestGate gate, RoundStore rounds)
{
    [Function(nameof(GetLotteryStatus))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryStatus>(request, async (_, ct) =>
            (await rounds.FindAsync(roundId, ct) is { } stored ? stored.State : (Result<RoundData>)RoundStore.NotFound(roundId)).Ok(LotteryResponses.Status),
            cancellationToken);
}

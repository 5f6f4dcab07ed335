using Grants.Contracts.Lottery;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The draw's balance check: selections per stratum, sector, submission day and amount band against their expectation", Tag = "Lottery", Response = typeof(BalanceReportResponse))]
public sealed class GetLotteryBalance(RequestGate gate, GetLotteryBalanceHandler handler)
{
    [Function(nameof(GetLotteryBalance))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/balance")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryBalance>(request, async (_, ct) => (await handler.HandleAsync(roundId, ct)).Ok(report => LotteryResponses.Balance(roundId, report)), cancellationToken);
}

/// <summary>The balance check of the round's current draw, against its frozen pool (docs/design.md §4).</summary>
public sealed class GetLotteryBalanceHandler(RoundStore rounds, PoolStore pools, ProtocolStore protocols, IOptions<LotteryOptions> options)
{
    public async Task<Result<BalanceReport>> HandleAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { State.LotteryState.Draw: { } draw } stored)
        {
            return LotteryAccess.NoProtocol(roundId);
        }

        var protocol = await protocols.ReadAsync(roundId, draw.ProtocolHash, cancellationToken);
        return DrawPublication.Balance(protocol, await pools.ReadAsync(stored.State, cancellationToken), options.Value.BalanceThreshold);
    }
}

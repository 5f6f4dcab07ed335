using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Show what a budget top-up would do: who is selected next, the control group's size and the minimum detectable effect before and after", Tag = "Budget", Request = typeof(TopUpRequest), Response = typeof(CutoffChangeResponse))]
public sealed class PreviewTopUp(RequestGate gate, PreviewTopUpHandler handler)
{
    [Function(nameof(PreviewTopUp))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/budget/top-ups/preview")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<PreviewTopUp, TopUpRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Ok(LotteryResponses.CutoffChange), cancellationToken);
}

/// <summary>Works out a top-up as <see cref="TopUpBudgetHandler"/> would apply it, and saves nothing.</summary>
public sealed class PreviewTopUpHandler(RoundStore rounds, ReserveList reserve)
{
    public async Task<Result<CutoffMove>> HandleAsync(string roundId, TopUpRequest request, Caller caller, CancellationToken cancellationToken) =>
        await rounds.FindAsync(roundId, cancellationToken) is { } stored
            ? await reserve.PlanTopUpAsync(stored, request, caller, cancellationToken)
            : RoundStore.NotFound(roundId);
}

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

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Raise a round's budget after the draw: the cut-off moves down the published order; refused if it leaves too small a control group, unless confirmed", Tag = "Budget", Request = typeof(TopUpRequest), Response = typeof(CutoffChangeResponse))]
public sealed class TopUpBudget(RequestGate gate, TopUpBudgetHandler handler)
{
    [Function(nameof(TopUpBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/budget/top-ups")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<TopUpBudget, TopUpRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Ok(LotteryResponses.CutoffChange), cancellationToken);
}

/// <summary>
/// Raises a round's budget after the draw: the cut-off moves down the published order (<see cref="ReserveList"/>). A top-up
/// that would leave fewer control units than the round's minimum is refused unless ministry staff confirm having seen what
/// it costs the evaluation.
/// </summary>
public sealed class TopUpBudgetHandler(CommandExecutor commands, RoundStore rounds, ReserveList reserve)
{
    public async Task<Result<CutoffMove>> HandleAsync(string roundId, TopUpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        CutoffMove? planned = null;
        var moved = await commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, async stored =>
        {
            var move = await reserve.PlanTopUpAsync(stored, request, caller, cancellationToken);
            if (!request.ConfirmSmallControlGroup && move.LeavesTooSmallControlGroup)
            {
                var impact = LotteryResponses.CutoffChange(move);
                return new Failure(ProblemKind.ControlGroupTooSmall,
                    ControlGroupWarning.Describe(move.ReserveAfter, move.MinimumControlGroup, impact.MinimumDetectableEffectBefore, impact.MinimumDetectableEffectAfter),
                    new Dictionary<string, object?> { ["impact"] = impact });
            }

            planned = move;
            return await reserve.RecordAsync(stored, move, cancellationToken);
        }, cancellationToken);
        if (moved.Failure is { } failure)
        {
            return failure;
        }

        // Also when this request's earlier attempt saved the top-up and stopped before finishing it: then it is answered from the protocol it saved.
        var done = await reserve.CompleteAsync(moved.Value!.State, planned?.Moved, caller, cancellationToken);
        return planned is { } move ? move with { ProtocolHash = done.ProtocolHash } : done;
    }
}

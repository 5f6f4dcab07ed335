using Grants.Contracts.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Raise a round's budget after the draw: the cut-off moves down the published order, and the newly selected are booked and told in the background (Location); refused if it leaves too small a control group, unless confirmed", Tag = "Budget", Request = typeof(TopUpRequest), Response = typeof(CutoffChangeResponse), SuccessStatus = 202, StartsWork = true)]
public sealed class TopUpBudget(RequestGate gate, TopUpBudgetHandler handler)
{
    [Function(nameof(TopUpBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/budget/top-ups")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<TopUpBudget, TopUpRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Accepted(LotteryResponses.CutoffChange, move => CutoffMoveWork.OperationIdFor(roundId, move.ProtocolHash!)), cancellationToken);
}

/// <summary>
/// Raises a round's budget after the draw: the cut-off moves down the published order (<see cref="ReserveList"/>). A top-up
/// that would leave fewer control units than the round's minimum is refused unless ministry staff confirm having seen what
/// it costs the evaluation. The round records the move with its event; booking it and telling the newly selected follow
/// in the background (<see cref="CutoffMoveWork"/>), as a top-up may select thousands.
/// </summary>
public sealed class TopUpBudgetHandler(CommandExecutor commands, RoundStore rounds, ProtocolStore protocols, ReserveList reserve)
{
    public async Task<Result<CutoffMove>> HandleAsync(string roundId, TopUpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        CutoffMove? planned = null;
        var moved = await commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, async stored =>
        {
            var move = await reserve.PlanTopUpAsync(stored, request, caller, cancellationToken);
            Commit<RoundData> commit;
            try
            {
                commit = await reserve.RecordAsync(stored, move, cancellationToken);
            }
            catch (ControlGroupTooSmallException)
            {
                // The round refused it; the answer shows staff what confirming would cost the evaluation.
                var impact = LotteryResponses.CutoffChange(move);
                return new Failure(ProblemKind.ControlGroupTooSmall,
                    ControlGroupWarning.Describe(move.ReserveAfter, move.MinimumControlGroup, impact.MinimumDetectableEffectBefore, impact.MinimumDetectableEffectAfter),
                    new Dictionary<string, object?> { ["impact"] = impact });
            }

            planned = move;
            return commit with { Change = commit.Change.Raising(new OutboxEvent(RoundEvents.CutoffMoved, commit.State.LotteryState.Draw!.ProtocolHash)) };
        }, cancellationToken);
        if (moved.Failure is { } failure)
        {
            return failure;
        }

        // Also when this request's earlier attempt saved the top-up: then it is answered from the protocol it saved.
        var round = moved.Value!.State;
        var protocol = planned?.Moved ?? await protocols.ReadAsync(round.Id, round.LotteryState.Draw!.ProtocolHash, cancellationToken);
        return ReserveList.LastMove(protocol, round);
    }
}

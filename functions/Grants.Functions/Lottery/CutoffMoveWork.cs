using Grants.Domain.Rounds;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>
/// A budget top-up's consequences, started by <see cref="RoundEvents.CutoffMoved"/> and named by the protocol version it saved: the listing books the top-up and a reservation
/// for each newly selected application in the round's ledger (the ledger's transactions, in as few as it allows), and lists
/// those applications; each is then told it was selected (once: only while it is still on the reserve list); last, where the
/// committee assesses after the draw, they join its queue together, so that the load is spread over all of them.
/// </summary>
public sealed class CutoffMoveWork(RoundStore rounds, ProtocolStore protocols, ReserveList reserve, Assessments.AssessmentAssignment assessments) : IBatchWork
{
    public const string Kind = "cutoff-move";

    string IBatchWork.Kind => Kind;

    public static string OperationIdFor(string roundId, string protocolHash) => OperationIds.For(Kind, roundId, protocolHash);

    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var round = await RoundAsync(operation, cancellationToken);
        return new WorkPlan(await reserve.BookAsync(round, await ProtocolAsync(operation, cancellationToken), cancellationToken));
    }

    /// <summary>Each batch reads only the round: the protocol, which grows with the pool, is read by the listing and the completion.</summary>
    public async Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken)
    {
        var round = await RoundAsync(operation, cancellationToken);
        await Fanout.ForEachAsync(items, (applicationId, ct) => reserve.SelectAsync(round, operation.Distinction!, ReserveList.TopUp, applicationId, operation.Actor, ct), cancellationToken);
    }

    /// <summary>
    /// Where the committee assesses after the draw, the newly selected join its queue together. Elsewhere there is nothing
    /// to finish, and the protocol and the pool, large at national size, are not read.
    /// </summary>
    public async Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var round = await RoundAsync(operation, cancellationToken);
        if (!round.Configuration.AssessesAfterDraw)
        {
            return;
        }

        var protocol = await ProtocolAsync(operation, cancellationToken);
        await assessments.AssignMovedUpAsync(round, [.. (await reserve.NewlySelectedAsync(round, protocol, cancellationToken)).Select(e => e.ApplicationId)], cancellationToken);
    }

    private async Task<RoundData> RoundAsync(OperationRecord operation, CancellationToken cancellationToken) =>
        (await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.")).State;

    /// <summary>The protocol version the move saved (later versions may follow; this work is this one's).</summary>
    private async Task<Domain.Lottery.LotteryProtocol> ProtocolAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var hash = operation.Distinction ?? throw new InvalidOperationException($"Operation {operation.Id} names no protocol.");
        return await protocols.ReadAsync(operation.RoundId, hash, cancellationToken);
    }
}

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
        var (round, protocol) = await ReadAsync(operation, cancellationToken);
        return new WorkPlan(await reserve.BookAsync(round, protocol, cancellationToken));
    }

    /// <summary>Each batch reads only the round: the protocol, which grows with the pool, is read by the listing and the completion.</summary>
    public async Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        await Fanout.ForEachAsync(items, (applicationId, ct) => reserve.SelectAsync(round.State, operation.Distinction!, ReserveList.TopUp, applicationId, operation.Actor, ct), cancellationToken);
    }

    public async Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var (round, protocol) = await ReadAsync(operation, cancellationToken);
        await assessments.AssignMovedUpAsync(round, [.. (await reserve.NewlySelectedAsync(round, protocol, cancellationToken)).Select(e => e.ApplicationId)], cancellationToken);
    }

    /// <summary>The round and the protocol version the move saved (later versions may follow; this work is this one's).</summary>
    private async Task<(RoundData Round, Domain.Lottery.LotteryProtocol Protocol)> ReadAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        var hash = operation.Distinction ?? throw new InvalidOperationException($"Operation {operation.Id} names no protocol.");
        return (round.State, await protocols.ReadAsync(round.Id, hash, cancellationToken));
    }
}

using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Lottery;

/// <summary>
/// The draw (docs/design.md §4), started by <see cref="RoundEvents.DrawRequested"/>, in the name of whoever asked for it. The listing orders the frozen pool with the revealed
/// seeds, allocates the budget and computes every assignment probability, as of the moment the draw was asked for, so that
/// a listing delivered again computes the same protocol; stores the protocol write-once under its hash and records the draw
/// on the round, held when the balance check finds a surprising imbalance. A draw published at once is published by this
/// operation: the budget's reservations are posted and its items are the pool's units, each told its outcome
/// (<see cref="DrawPublication"/>). A held draw lists nothing: its confirmation publishes it.
/// </summary>
public sealed class DrawWork(
    RoundStore rounds, PoolStore pools, ProtocolStore protocols, AnnouncementStore announcements, DrawPublication publication, IOptions<LotteryOptions> options)
    : IBatchWork
{
    public const string Kind = "draw";

    string IBatchWork.Kind => Kind;

    /// <summary>What tells one request's draw from a later one (after a re-draw): the time it was asked for, as 16 hexadecimal digits; null when none is asked for.</summary>
    public static string? DistinctionOf(RoundData round) =>
        round.DrawRequestedAt?.UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public static string OperationIdFor(RoundData round) =>
        OperationIds.For(Kind, round.Id, DistinctionOf(round) ?? throw new InvalidOperationException($"Round {round.Id} has no draw asked for."));

    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        (LotteryProtocol Protocol, string Hash, FrozenPool Pool)? computed = null;
        if (round.State.Status == RoundStatus.Drawing && DistinctionOf(round.State) == operation.Distinction)
        {
            computed = await DrawAsync(round.State, operation, cancellationToken);
            round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        }

        if (DistinctionOf(round.State) != operation.Distinction)
        {
            return WorkPlan.Refused("this draw was set aside by a re-draw before it was published");
        }

        // The protocol as drawn: a later move of the cut-off saved further versions, whose newly selected that move's own work tells.
        var lottery = round.State.LotteryState;
        if (lottery.Draw is not { PublishedAt: not null, HeldForBalance: false } draw)
        {
            return new WorkPlan([]); // held by the balance check: its confirmation publishes it
        }

        var drawn = draw with { ProtocolHash = lottery.ProtocolVersions is [var first, ..] ? first : draw.ProtocolHash };
        return computed is { } fresh && fresh.Hash == drawn.ProtocolHash
            ? await publication.ListAsync(round.State, drawn, cancellationToken, fresh.Protocol, fresh.Pool)
            : await publication.ListAsync(round.State, drawn, cancellationToken);
    }

    public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken) =>
        publication.PublishAsync(operation.RoundId, items, cancellationToken);

    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Computes and stores the protocol, and records the draw on the round while it is still this request's.</summary>
    private async Task<(LotteryProtocol, string, FrozenPool)> DrawAsync(RoundData round, OperationRecord operation, CancellationToken cancellationToken)
    {
        var asked = new Round(round);
        var (seeds, drawnAt) = asked.DrawToCompute();
        var pool = await pools.ReadAsync(round, cancellationToken);

        // What the draw uses must stand announced before it: a commitment or freeze whose announcement was cut short is finished here.
        await announcements.AnnounceAsync(round, pool, cancellationToken);
        var protocol = LotteryProtocol.Draw(round.Id, pool.Entries.Select(e => e.ToCandidate()), seeds,
            ProtocolDesign.Of(round.Configuration, pool.Entries.Select(e => e.Stratum)), options.Value.Simulations, drawnAt, asked.CommittedAnalysisPlanHash);
        var protocolHash = await protocols.WriteOnceAsync(round.Id, protocol, cancellationToken);
        var balance = DrawPublication.Balance(protocol, pool, options.Value.BalanceThreshold);

        await rounds.UpdateWithRetryAsync(round.Id, r => r.Data.Status == RoundStatus.Drawing && DistinctionOf(r.Data) == operation.Distinction, r =>
        {
            r.RecordDraw(protocolHash, protocol.DrawNeeded, holdForBalance: balance.HoldsPublication);
            return new PendingAuditEvent("LotteryDrawn", new
            {
                protocolHash,
                protocol.DrawNeeded,
                protocol.AnalysisPlanHash,
                selected = protocol.Selected.Count,
                reserve = protocol.Reserve.Count,
                heldForBalance = balance.HoldsPublication,
                surprising = balance.Groups.Where(g => g.Surprising),
            });
        }, operation.Actor, cancellationToken);
        return (protocol, protocolHash, pool);
    }
}

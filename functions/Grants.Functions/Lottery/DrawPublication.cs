using System.Text.Json;
using System.Text.Json.Serialization;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>A held draw confirmed for publication (<see cref="RoundEvents.DrawPublished"/>) is published in the background (<see cref="DrawPublication"/>).</summary>
public sealed class PublishDrawOnDrawPublished(RoundStore rounds, BackgroundOperations operations) : IEventSubscriber
{
    public string Event => RoundEvents.DrawPublished;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        // The round as it is now: a draw set aside since is not published.
        if (await rounds.FindAsync(delivery.AggregateId, cancellationToken) is { State.LotteryState.Draw: { PublishedAt: not null } draw } round)
        {
            await operations.StartAsync(DrawPublication.Kind, round.Id, draw.ProtocolHash, delivery.Actor, cancellationToken);
        }
    }
}

/// <summary>
/// The follow-up of the pool's units, which the lottery starts as it tells each its outcome: winners and losers alike,
/// so that the control group is followed as the treated are. The follow-up answers.
/// </summary>
public interface IPoolFollowUp
{
    /// <summary>Schedules the unit's surveys; a unit scheduled already is left as it is.</summary>
    Task ScheduleAsync(RoundData round, string applicationId, string poolId, DateTimeOffset drawnAt, CancellationToken cancellationToken);
}

/// <summary>
/// A published draw's consequences for every pool unit: the budget's reservations for the selected, and for each unit its
/// own outcome (selected or reserve, rank, reserve position) on its application and by mail, and its follow-up surveys.
/// A draw published at once is published by its own operation (<see cref="DrawWork"/>), which lists and tells the units
/// as this does; a draw the balance check held, once confirmed, by this one. Also the balance check a draw is held by.
/// </summary>
public sealed class DrawPublication(RoundStore rounds, ApplicationStore applications, ProtocolStore protocols, PoolStore pools, Budget.BudgetLedgerStore ledger, IPoolFollowUp followUp, TimeProvider time)
    : IBatchWork
{
    public const string Kind = "draw-publication";
    public const string SystemActor = "system:lottery-results";

    private static readonly JsonSerializerOptions Json = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    string IBatchWork.Kind => Kind;

    public static string OperationIdFor(string roundId, string protocolHash) => OperationIds.For(Kind, roundId, protocolHash);

    /// <summary>The publication's operation once the round's draw may be published; null while it is held.</summary>
    public static string? OperationIdIfPublished(StoredAggregate<RoundData> round) =>
        round.State.LotteryState.Draw is { PublishedAt: not null } draw ? OperationIdFor(round.Id, draw.ProtocolHash) : null;

    public static BalanceReport Balance(LotteryProtocol protocol, FrozenPool pool, double threshold = BalanceCheck.DefaultThreshold)
    {
        var units = pool.Entries.Select(e => new BalanceUnit(e.Id, e.Stratum, e.Sector, DateOnly.FromDateTime(AmsterdamTime.ToLocal(e.SubmittedAt)), e.Amount)).ToList();
        return BalanceCheck.Run(units, protocol.Selected.ToHashSet(), protocol.Probabilities.ToDictionary(p => p.Id, p => p.P), threshold);
    }

    /// <summary>Lists the units of the draw this operation publishes: nothing when the draw was set aside before it was published.</summary>
    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        return round.State.LotteryState.Draw is { PublishedAt: not null } draw && draw.ProtocolHash == operation.Distinction
            ? await ListAsync(round.State, draw, cancellationToken)
            : new WorkPlan([]);
    }

    public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken) =>
        PublishAsync(operation.RoundId, items, cancellationToken);

    /// <summary>Posts the ceiling and a reservation per selected application (docs/design.md §2.4), and lists every unit's outcome.</summary>
    public async Task<WorkPlan> ListAsync(RoundData round, DrawRecord draw, CancellationToken cancellationToken, LotteryProtocol? protocol = null, FrozenPool? pool = null)
    {
        protocol ??= await protocols.ReadAsync(round.Id, draw.ProtocolHash, cancellationToken);
        pool ??= await pools.ReadAsync(round, cancellationToken);
        var selected = protocol.Selected.ToHashSet();
        var ranks = protocol.Order.ToDictionary(e => e.Id);
        var reservePositions = protocol.ReservePositions();
        var shares = protocol.Shares?.ToDictionary(e => e.Id, e => e.Granted, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        await ledger.PostAllAsync(round.Id, [
            new Domain.Budget.LedgerEntry("ceiling", Domain.Budget.LedgerKinds.Ceiling, null, round.Configuration.BudgetCeilingCents, SystemActor, now, "round budget ceiling"),
            .. pool.Entries.Where(e => selected.Contains(e.Id)).Select(entry =>
                new Domain.Budget.LedgerEntry($"select-{entry.ApplicationId}", Domain.Budget.LedgerKinds.Reserve, entry.ApplicationId, shares?[entry.Id] ?? entry.Amount, SystemActor, now,
                    shares is null ? $"selected in draw {draw.ProtocolHash}" : $"pro rata share in allocation {draw.ProtocolHash}")),
        ], cancellationToken);

        // Whom the method turned down (partial randomisation, below the band; pro rata, a share below the minimum grant) is in the pool but not in the order.
        var turnedDown = (protocol.Excluded ?? []).ToHashSet(StringComparer.Ordinal);
        return new WorkPlan(pool.Entries.Select(entry => JsonSerializer.Serialize(new Unit(entry.ApplicationId, entry.Id, selected.Contains(entry.Id), entry.Stratum,
            turnedDown.Contains(entry.Id) ? 0 : ranks[entry.Id].Rank, reservePositions.TryGetValue(entry.Id, out var position) ? position : null,
            turnedDown.Contains(entry.Id) ? true : null, shares?.GetValueOrDefault(entry.Id) is > 0 and var granted ? granted : null), Json)).ToList());
    }

    /// <summary>Tells each listed unit its outcome, on its application and by mail, and schedules its follow-up; a unit told already is left as it is.</summary>
    public async Task PublishAsync(string roundId, IReadOnlyList<string> items, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(roundId, cancellationToken) ?? throw new InvalidOperationException($"Round {roundId} vanished.");
        var draw = round.State.LotteryState.Draw ?? throw new InvalidOperationException($"Round {roundId} has no draw to publish.");
        await Fanout.ForEachAsync(items.Select(item => JsonSerializer.Deserialize<Unit>(item, Json)!), async (unit, ct) =>
        {
            var outcome = new DrawOutcome(unit.Selected, unit.Stratum, unit.Rank, unit.ReservePosition, draw.ProtocolHash, unit.TurnedDown == true, unit.Granted, time.GetUtcNow());
            // An application enters the pool in the freeze's own operation; one that has not yet enters it here, so
            // that the order in which the two operations reach it does not matter.
            await applications.UpdateWithRetryAsync(unit.ApplicationId, a => a.Data.Status is ApplicationStatus.Eligible or ApplicationStatus.InPool, a =>
            {
                var entered = a.Data.Status == ApplicationStatus.Eligible;
                if (entered)
                {
                    a.EnterPool(unit.PoolId);
                }

                a.RecordDrawOutcome(outcome);
                var recorded = new PendingAuditEvent("DrawOutcomeRecorded", outcome);
                var mail = ApplicantMail.DrawOutcome(a.Data, round.State.Name, round.State.Configuration);
                return entered
                    ? new Change([new PendingAuditEvent("EnteredPool", new { roundId = round.Id, poolHash = round.State.PoolHash, poolId = unit.PoolId }), recorded], [mail])
                    : Change.Of(recorded, mail);
            }, SystemActor, ct);
            await followUp.ScheduleAsync(round.State, unit.ApplicationId, unit.PoolId, draw.DrawnAt, ct);
        }, cancellationToken);
    }

    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One pool unit's outcome, as a batch carries it.</summary>
    private sealed record Unit(
        [property: JsonPropertyName("a")] string ApplicationId,
        [property: JsonPropertyName("p")] string PoolId,
        [property: JsonPropertyName("s")] bool Selected,
        [property: JsonPropertyName("t")] string Stratum,
        [property: JsonPropertyName("r")] int Rank,
        [property: JsonPropertyName("q")] int? ReservePosition,
        [property: JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? TurnedDown = null,
        [property: JsonPropertyName("g"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Granted = null);
}

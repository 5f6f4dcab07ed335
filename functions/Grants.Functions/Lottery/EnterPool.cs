using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>A frozen pool (<see cref="RoundEvents.PoolFrozen"/>): its applications enter it in the background (<see cref="EnterPool"/>).</summary>
public sealed class EnterPoolOnFreeze(RoundStore rounds, BackgroundOperations operations) : IEventSubscriber
{
    public string Event => RoundEvents.PoolFrozen;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(delivery.AggregateId, cancellationToken) is { State.PoolHash: { } poolHash } round)
        {
            await operations.StartAsync(EnterPool.Kind, round.Id, poolHash, delivery.Actor, cancellationToken);
        }
    }
}

/// <summary>Each eligible application of the frozen pool enters it under its pseudonym, in the name of whoever froze it.</summary>
public sealed class EnterPool(RoundStore rounds, PoolStore pools, ApplicationStore applications) : IBatchWork
{
    public const string Kind = "pool-entry";

    string IBatchWork.Kind => Kind;

    public static string OperationIdFor(string roundId, string poolHash) => OperationIds.For(Kind, roundId, poolHash);

    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        var pool = await pools.ReadAsync(round.State, cancellationToken);
        return new WorkPlan(pool.Entries.Select(e => $"{e.ApplicationId} {e.Id}").ToList());
    }

    public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken) =>
        Fanout.ForEachAsync(items, (item, ct) =>
        {
            var parts = item.Split(' ');
            var (applicationId, poolId) = (parts[0], parts[1]);
            return applications.UpdateWithRetryAsync(applicationId, a => a.Data.Status == ApplicationStatus.Eligible, a =>
            {
                a.EnterPool(poolId);
                return Change.Of(new PendingAuditEvent("EnteredPool", new { roundId = operation.RoundId, poolHash = operation.Distinction, poolId }));
            }, operation.Actor, ct);
        }, cancellationToken);

    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.CompletedTask;
}

using Azure;
using Azure.Data.Tables;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Platform.Events;

/// <summary>
/// Hands committed events (<see cref="OutboxEvent"/>) to the features that act on them, at least once (docs/decisions/0016).
/// The command that commits an event hands it over at once, before it answers, so the caller sees the consequence
/// (the voucher issued with the award) and a failure there fails the request, whose retry hands it over again. What
/// a crash left undone the relay (<see cref="DispatchEvents"/>) hands over after <see cref="HandOverGrace"/>, backing off
/// after failures; after <see cref="MaxAttempts"/> the event is parked as Failed and logged as an error for operators.
/// </summary>
/// <remarks>
/// Subscribers are resolved on first use, not injected: they load aggregates through stores that hand their own
/// events over here, and a constructor dependency would be circular.
/// </remarks>
public sealed partial class EventDispatcher(StorageAccount storage, OutboxIndex index, DeadLetters deadLetters, IServiceProvider services, TimeProvider time, ILogger<EventDispatcher> logger)
{
    public const string Done = "Done";
    public const string Failed = "Failed";
    public const int MaxAttempts = 10;

    /// <summary>How long the relay leaves a new event to the request that committed it.</summary>
    public static readonly TimeSpan HandOverGrace = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    private readonly Lazy<ILookup<string, IEventSubscriber>> _subscribers = new(() => services.GetServices<IEventSubscriber>().ToLookup(s => s.Event, StringComparer.Ordinal));

    /// <summary>Hands over the aggregate's pending events now; a subscriber's failure is the caller's (the request fails and its retry hands them over again).</summary>
    public async Task DispatchAsync(string aggregateId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {aggregateId} and RowKey gt {AggregateStore.EventRowPrefix} and RowKey lt {AggregateStore.EventRowPrefix + "~"} and Status eq {OutboxStatus.Pending}"),
            cancellationToken: cancellationToken))
        {
            await HandOverAsync(table, row, cancellationToken);
        }
    }

    /// <summary>
    /// Hands over the pending events whose time has come, a page of pointers at a time for up to <see cref="OutboxIndex.RunBudget"/>
    /// (the next run goes on from there); one that fails waits longer before the next attempt.
    /// </summary>
    /// <returns>How many events were handed over.</returns>
    public async Task<int> RelayPendingAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var now = time.GetUtcNow();
        var started = time.GetTimestamp();
        var handedOver = 0;
        await foreach (var page in index.DuePagesAsync(OutboxIndex.Events, now, cancellationToken))
        {
            foreach (var pointer in page)
            {
                handedOver += await RelayAsync(table, pointer, now, cancellationToken);
            }

            if (time.GetElapsedTime(started) >= OutboxIndex.RunBudget)
            {
                break;
            }
        }

        return handedOver;
    }

    /// <summary>Hands over the due rows a pointer names, then settles the pointer with what still waits.</summary>
    private async Task<int> RelayAsync(TableClient table, OutboxPointer pointer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var handedOver = 0;
        var waiting = new OutboxWaiting();
        foreach (var row in await OutboxIndex.RowsAsync(table, pointer, waiting, now, cancellationToken))
        {
            var key = row.RowKey;
            var due = row.GetDateTimeOffset("NextAttemptAt") ?? DateTimeOffset.MinValue;
            if (row.GetString("Status") != OutboxStatus.Pending)
            {
                continue; // handed over, or parked as Failed
            }

            if (due > now)
            {
                waiting.Add(key, due);
                continue;
            }

            try
            {
                await HandOverAsync(table, row, cancellationToken);
                handedOver++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await RecordFailureAsync(table, row, e, cancellationToken);
                if (row.GetString("Status") == OutboxStatus.Pending)
                {
                    waiting.Add(key, row.GetDateTimeOffset("NextAttemptAt") ?? now);
                }
            }
        }

        await index.SettleAsync(pointer, waiting.Rows, waiting.NextDue, cancellationToken);
        return handedOver;
    }

    /// <summary>Events that exhausted their attempts, for operators to inspect.</summary>
    public Task<IReadOnlyList<TableEntity>> FailedAsync(CancellationToken cancellationToken) =>
        deadLetters.ListAsync(DeadLetters.Events, Failed, Done, cancellationToken);

    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 30 * Math.Pow(2, attempts - 1)));

    private async Task HandOverAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        var delivery = new EventDelivery(row.PartitionKey, row.GetString("Name") ?? "", row.GetString("Detail"), row.GetString("Actor") ?? "system");
        foreach (var subscriber in _subscribers.Value[delivery.Name])
        {
            await subscriber.HandleAsync(delivery, cancellationToken);
        }

        row["Status"] = Done;
        row["DoneAt"] = time.GetUtcNow();
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Another hand-over of the same event (the request and the relay) recorded it first; the work is idempotent.
        }
    }

    private async Task RecordFailureAsync(TableClient table, TableEntity row, Exception error, CancellationToken cancellationToken)
    {
        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        var parked = attempts >= MaxAttempts;
        row["Attempts"] = attempts;
        row["LastError"] = error.Message.Length > 1000 ? error.Message[..1000] : error.Message;
        row["Status"] = parked ? Failed : OutboxStatus.Pending;
        row["NextAttemptAt"] = time.GetUtcNow() + Backoff(attempts);
        if (parked)
        {
            await deadLetters.RecordAsync(DeadLetters.Events, row.PartitionKey, row.RowKey, cancellationToken);
            LogParked(logger, error, row.GetString("Name"), row.PartitionKey, attempts);
        }
        else
        {
            LogRetrying(logger, error, row.GetString("Name"), row.PartitionKey, attempts);
        }

        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Handed over meanwhile by the request that committed it.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Name} of {AggregateId} failed {Attempts} times and is parked as Failed.")]
    private static partial void LogParked(ILogger logger, Exception error, string? name, string aggregateId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Name} of {AggregateId} failed (attempt {Attempts}); it is retried later.")]
    private static partial void LogRetrying(ILogger logger, Exception error, string? name, string aggregateId, int attempts);
}

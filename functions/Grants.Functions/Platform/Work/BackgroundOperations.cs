using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Grants.Contracts.Operations;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Platform.Work;

/// <summary>
/// Round-wide work off the request path (docs/decisions/0019). A request records its decision and starts an operation;
/// the operation's record is written before its first message is sent, so its status can be read at once. Through the
/// work queue one message lists the items and writes them in batches of at most <see cref="BatchSize"/> to the
/// operation's partition; a message per batch does it; the batch that finds every batch done finishes the operation.
/// </summary>
/// <remarks>
/// Each step is safe to repeat: starting again finds the record; listing again merges the same items into the same
/// batch rows (a batch done stays done); a batch delivered twice does work that is idempotent per item; finishing twice
/// finds it finished. A step that throws is delivered again by the host; each failure is recorded on its row (the
/// listing's and the finishing's on the operation's own, a batch's on the batch's), and once one failed
/// <see cref="WorkQueue.MaxDequeueCount"/> times the operation reads as Failed (the message is then in the poison queue).
/// Kinds of work are resolved on first use, not injected: they start operations of their own through stores that hand
/// events over, and a constructor dependency would be circular.
/// </remarks>
public sealed partial class BackgroundOperations(StorageAccount storage, WorkQueue queue, IServiceProvider services, TimeProvider time, ILogger<BackgroundOperations> logger)
{
    public const int BatchSize = 100;

    /// <summary>
    /// The messages the host takes from the queue at once (host.json's <c>batchSize</c>; a test checks the two agree). A small
    /// operation's items are spread over as many batches, of at least <see cref="MinimumSpreadBatch"/>, so that its changes run
    /// as many at a time as a large one's: 800 items in 8 batches of 100 would keep half as many in flight.
    /// </summary>
    public const int MessagesAtOnce = 16;

    /// <summary>Below this a batch's own reads and writes (its row, the round, its completion check) would outweigh its items.</summary>
    public const int MinimumSpreadBatch = 25;

    /// <summary>A batch's items are one string property: well below the 64 KiB (32,768 characters) a property may hold.</summary>
    public const int MaxBatchCharacters = 30_000;

    public const string Queued = "Queued";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Refused = "Refused";

    /// <summary>The partitions that note when each operation started, so that the sweep finds the old ones by key.</summary>
    private const int SweepPartitions = 8;

    private const string SweepPrefix = "operations-started-";

    /// <summary>The row of an operation's own record in its partition, beside its batches' rows.</summary>
    public const string OperationRow = "operation";

    private const string BatchPrefix = "batch|";
    private const string Pending = "Pending";
    private const string Done = "Done";

    private static readonly string[] StatusColumns = ["PartitionKey", "RowKey", "Kind", "RoundId", "Status", "Total", "CreatedAt", "ListedAt", "CompletedAt", "Count", "Attempts", "LastError", "Skipped", "Refusal"];

    private readonly Lazy<IReadOnlyDictionary<string, IBatchWork>> _kinds = new(() => services.GetServices<IBatchWork>().ToDictionary(w => w.Kind, StringComparer.Ordinal));

    /// <summary>A distinction for work that a request asks for anew each time (the operation is then that request's own).</summary>
    public static string NewDistinction() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>Starts the operation unless it exists; returns its id. Starting it again while its items are not yet listed asks for the listing again.</summary>
    public async Task<string> StartAsync(string kind, string roundId, string? distinction, string actor, CancellationToken cancellationToken)
    {
        var id = OperationIds.For(kind, roundId, distinction);
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        try
        {
            var createdAt = time.GetUtcNow();
            await table.AddEntityAsync(new TableEntity(id, OperationRow)
            {
                ["Kind"] = kind, ["RoundId"] = roundId, ["Distinction"] = distinction, ["Actor"] = actor, ["Status"] = Queued, ["CreatedAt"] = createdAt,
            }, cancellationToken);
            await NoteForSweepingAsync(table, id, createdAt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Started before (or this insert's response was lost): ask for the listing again only if it has not happened.
            var existing = (await table.GetEntityAsync<TableEntity>(id, OperationRow, cancellationToken: cancellationToken)).Value;
            await NoteForSweepingAsync(table, id, existing.GetDateTimeOffset("CreatedAt") ?? time.GetUtcNow(), cancellationToken);
            if (existing.GetString("Status") != Queued)
            {
                return id;
            }
        }

        await queue.SendAsync(new WorkMessage(id), cancellationToken);
        return id;
    }

    /// <summary>Does what one message of the work queue asks.</summary>
    public async Task RunAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(message.Operation, OperationRow, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            // Every operation's record is written before its first message: this message was not sent by Grants.
            LogUnknownOperation(logger, message.Operation);
            return;
        }

        var row = found.Value!;
        var operation = new OperationRecord(row.PartitionKey, row.GetString("Kind")!, row.GetString("RoundId")!, row.GetString("Distinction"), row.GetString("Actor")!);
        var work = _kinds.Value.TryGetValue(operation.Kind, out var known) ? known
            : throw new InvalidOperationException($"Operation {operation.Id} is of kind {operation.Kind}, which this app does not know.");
        if (message.Batch is { } batch)
        {
            await RunBatchAsync(table, work, operation, batch, cancellationToken);
        }
        else
        {
            try
            {
                await PlanAsync(table, work, operation, row, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await RecordFailureAsync(table, operation, row, e, cancellationToken);
                throw;
            }
        }
    }

    /// <summary>The operation as its status resource shows it; null when there is none of that id.</summary>
    public async Task<OperationResponse?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var rows = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), select: StatusColumns, cancellationToken: cancellationToken)
            .ToListAsync(cancellationToken);
        if (rows.FirstOrDefault(r => r.RowKey == OperationRow) is not { } operation)
        {
            return null;
        }

        var batches = rows.Where(r => r.RowKey.StartsWith(BatchPrefix, StringComparison.Ordinal)).ToList();
        var status = operation.GetString("Status") ?? Queued;
        // The listing's and the finishing's failures are recorded on the operation's own row, a batch's on its row; either
        // counts while it is not done.
        var errors = rows
            .Where(r => (r.RowKey == OperationRow ? status is Queued or Running : r.GetString("Status") != Done) && (r.GetInt32("Attempts") ?? 0) > 0)
            .Select(r => new OperationErrorResponse(r.RowKey == OperationRow ? null : BatchNumber(r.RowKey), r.GetInt32("Count") ?? 0, r.GetInt32("Attempts") ?? 0, r.GetString("LastError") ?? ""))
            .ToList();
        if (status is Queued or Running && errors.Any(e => e.Attempts >= WorkQueue.MaxDequeueCount))
        {
            status = Failed;
        }

        return new OperationResponse(operation.PartitionKey, operation.GetString("Kind") ?? "", operation.GetString("RoundId") ?? "", status, operation.GetInt32("Total"),
            batches.Where(b => b.GetString("Status") == Done).Sum(b => b.GetInt32("Count") ?? 0), errors,
            JsonSerializer.Deserialize<List<string>>(operation.GetString("Skipped") ?? "[]") ?? [],
            operation.GetDateTimeOffset("CreatedAt") ?? default, operation.GetDateTimeOffset("CompletedAt"), operation.GetString("Refusal"),
            operation.GetDateTimeOffset("ListedAt"));
    }

    /// <summary>
    /// An operator's repair of an operation that failed (its work set aside in the poison queue after every delivery):
    /// each batch not yet done gets a fresh count of deliveries and is sent again; one whose items were never listed
    /// is listed again, and one whose every batch is done but which did not finish is asked to finish again. Work
    /// already done stays done. An operation a rule refused is not sent again: nothing could
    /// change it. Not found when there is no operation of that id.
    /// </summary>
    public async Task<Result<OperationResponse>> RetryAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(id, OperationRow, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return Failure.NotFound($"There is no operation {id}.");
        }

        switch (found.Value!.GetString("Status"))
        {
            case Refused:
                return new Failure(Http.ProblemKind.InvalidTransition,
                    $"Operation {id} was refused ({found.Value.GetString("Refusal")}), so there is nothing to send again; ask for the work anew once that is mended.");
            case Queued:
                await table.UpsertEntityAsync(new TableEntity(id, OperationRow) { ["Attempts"] = 0 }, TableUpdateMode.Merge, cancellationToken);
                await queue.SendAsync(new WorkMessage(id), cancellationToken);
                break;
            case Running:
                var pending = await table.QueryAsync<TableEntity>(
                        TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey gt {BatchPrefix} and RowKey lt {BatchPrefix + "~"} and Status ne {Done}"), select: ["RowKey"], cancellationToken: cancellationToken)
                    .ToListAsync(cancellationToken);
                await Fanout.ForEachAsync(pending, async (batch, ct) =>
                {
                    await table.UpsertEntityAsync(new TableEntity(id, batch.RowKey) { ["Attempts"] = 0 }, TableUpdateMode.Merge, ct);
                    await queue.SendAsync(new WorkMessage(id, BatchNumber(batch.RowKey)), ct);
                }, cancellationToken);
                if (pending.Count == 0)
                {
                    // Every batch done, the finishing failed: the listing message finds nothing to send and finishes.
                    await table.UpsertEntityAsync(new TableEntity(id, OperationRow) { ["Attempts"] = 0 }, TableUpdateMode.Merge, cancellationToken);
                    await queue.SendAsync(new WorkMessage(id), cancellationToken);
                }

                break;
        }

        return (await FindAsync(id, cancellationToken))!;
    }

    /// <summary>
    /// Deletes the records of operations that finished (succeeded, or refused by a rule) before <paramref name="before"/>,
    /// found through the notes written when each started (one of <see cref="SweepPartitions"/> partitions, in order of
    /// starting): the operation's partition, then its note. An operation still queued, running or failed keeps its
    /// record and note: it is someone's to finish or repair. Repeating a sweep, or finishing one that stopped, is harmless.
    /// </summary>
    /// <returns>How many operations were deleted.</returns>
    public async Task<int> SweepAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var swept = 0;
        for (var i = 0; i < SweepPartitions; i++)
        {
            var due = TableClient.CreateQueryFilter($"PartitionKey eq {SweepPrefix + i} and RowKey lt {SweepRowKey(before, "~")}");
            await foreach (var note in table.QueryAsync<TableEntity>(due, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                var id = note.RowKey[(note.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..];
                var found = await table.GetEntityIfExistsAsync<TableEntity>(id, OperationRow, select: ["Status", "CompletedAt"], cancellationToken: cancellationToken);
                if (found.HasValue)
                {
                    if (found.Value!.GetString("Status") is not (Succeeded or Refused) || found.Value.GetDateTimeOffset("CompletedAt") is not { } completed || completed >= before)
                    {
                        continue;
                    }

                    await DeletePartitionAsync(table, id, cancellationToken);
                    swept++;
                }

                try
                {
                    await table.DeleteEntityAsync(note.PartitionKey, note.RowKey, ETag.All, cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status == 404)
                {
                    // Another sweep deleted it.
                }
            }
        }

        return swept;
    }

    /// <summary>Every row of one operation (its batches first, its own record last), in transactions of as many as one allows.</summary>
    private static async Task DeletePartitionAsync(TableClient table, string id, CancellationToken cancellationToken)
    {
        var rows = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}"), select: ["RowKey"], cancellationToken: cancellationToken)
            .Select(r => r.RowKey).ToListAsync(cancellationToken);
        foreach (var chunk in rows.OrderBy(r => r == OperationRow).Chunk(AzureTableLimits.MaxTransactionActions))
        {
            await table.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(id, row), ETag.All)), cancellationToken);
        }
    }

    /// <summary>
    /// Notes the operation under the moment it started, for the sweep; written again by a second start. A note that is
    /// lost keeps the record longer and delays nothing, so a failure to write it is logged, not thrown.
    /// </summary>
    private async Task NoteForSweepingAsync(TableClient table, string id, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpsertEntityAsync(new TableEntity(SweepPrefix + (Convert.ToInt32(id[^1..], 16) % SweepPartitions), SweepRowKey(createdAt, id)), TableUpdateMode.Replace, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException || StorageExceptions.IsTransient(e))
        {
            LogNotNoted(logger, e, id);
        }
    }

    private static string SweepRowKey(DateTimeOffset createdAt, string id) => $"{createdAt.UtcTicks:D19}|{id}";

    /// <summary>
    /// Splits the items, in order, into batches of at most <see cref="MaxBatchCharacters"/> characters, spread over
    /// <see cref="MessagesAtOnce"/> batches where that leaves each at least <see cref="MinimumSpreadBatch"/> items, and
    /// never more than <see cref="BatchSize"/>.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Batches(IReadOnlyList<string> items)
    {
        var batchSize = Math.Clamp((items.Count + MessagesAtOnce - 1) / MessagesAtOnce, MinimumSpreadBatch, BatchSize);
        var batches = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        var characters = 2;
        foreach (var item in items)
        {
            var size = JsonSerializer.Serialize(item).Length + 1;
            if (size + 2 > MaxBatchCharacters)
            {
                throw new ArgumentException($"A work item is {size} characters; at most {MaxBatchCharacters - 2} fit a batch.", nameof(items));
            }

            if (current.Count == batchSize || characters + size > MaxBatchCharacters)
            {
                batches.Add(current);
                current = [];
                characters = 2;
            }

            current.Add(item);
            characters += size;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    private async Task PlanAsync(TableClient table, IBatchWork work, OperationRecord operation, TableEntity row, CancellationToken cancellationToken)
    {
        if (row.GetString("Status") == Queued)
        {
            var plan = await work.PlanAsync(operation, cancellationToken);
            if (plan.Refusal is { } refusal)
            {
                await table.UpdateEntityAsync(new TableEntity(operation.Id, OperationRow) { ["Status"] = Refused, ["Refusal"] = refusal, ["CompletedAt"] = time.GetUtcNow() },
                    row.ETag, TableUpdateMode.Merge, cancellationToken);
                return;
            }

            var batches = Batches(plan.Items);
            // A listing delivered twice at once may mark a batch the other's messages did as pending again: it is then
            // sent again below and done again, which changes nothing.
            foreach (var chunk in batches.Select((items, index) => new TableEntity(operation.Id, BatchKey(index))
                { ["Items"] = JsonSerializer.Serialize(items), ["Count"] = items.Count, ["Status"] = Pending }).Chunk(AzureTableLimits.MaxTransactionActions))
            {
                await table.SubmitTransactionAsync(chunk.Select(entity => new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity)), cancellationToken);
            }

            // Another listing may record it first, with the same items; one that only recorded its failure leaves it Queued.
            await MoveAsync(table, operation.Id, Queued, row.ETag, new TableEntity(operation.Id, OperationRow)
            {
                ["Status"] = Running,
                ["Total"] = batches.Sum(b => b.Count),
                ["Batches"] = batches.Count,
                ["Skipped"] = SkippedText(plan.Skipped ?? []),
                ["ListedAt"] = time.GetUtcNow(),
                ["Attempts"] = 0, // the listing's failures end here; from now on the row counts the finishing's
            }, cancellationToken);
        }

        // Running: a message for every batch not yet done (all of them, unless this listing was delivered again).
        var pending = await table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {operation.Id} and RowKey gt {BatchPrefix} and RowKey lt {BatchPrefix + "~"}"), select: ["RowKey", "Status"], cancellationToken: cancellationToken)
            .Where(b => b.GetString("Status") != Done)
            .Select(b => BatchNumber(b.RowKey))
            .ToListAsync(cancellationToken);
        await Fanout.ForEachAsync(pending, (batch, ct) => queue.SendAsync(new WorkMessage(operation.Id, batch), ct), cancellationToken);
        await CompleteIfDoneAsync(table, work, operation, cancellationToken);
    }

    private async Task RunBatchAsync(TableClient table, IBatchWork work, OperationRecord operation, int batch, CancellationToken cancellationToken)
    {
        var row = (await table.GetEntityIfExistsAsync<TableEntity>(operation.Id, BatchKey(batch), cancellationToken: cancellationToken)).Value
            ?? throw new InvalidOperationException($"Operation {operation.Id} has no batch {batch}.");
        if (row.GetString("Status") != Done)
        {
            var items = JsonSerializer.Deserialize<List<string>>(row.GetString("Items") ?? "[]") ?? [];
            try
            {
                await work.ProcessAsync(operation, items, cancellationToken);
                await table.UpsertEntityAsync(new TableEntity(operation.Id, row.RowKey) { ["Status"] = Done, ["DoneAt"] = time.GetUtcNow() }, TableUpdateMode.Merge, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await RecordFailureAsync(table, operation, row, e, cancellationToken);
                throw;
            }
        }

        await CompleteIfDoneAsync(table, work, operation, cancellationToken);
    }

    /// <summary>
    /// Finishes the operation once every batch is done; whichever batch sees that first does it, and doing it twice is
    /// harmless. Every batch row exists with a status before the operation is Running, so one row not done is enough to
    /// know: the check returns at most one row, not the partition.
    /// </summary>
    private async Task CompleteIfDoneAsync(TableClient table, IBatchWork work, OperationRecord operation, CancellationToken cancellationToken)
    {
        var record = (await table.GetEntityAsync<TableEntity>(operation.Id, OperationRow, select: ["RowKey", "Status", "Attempts"], cancellationToken: cancellationToken)).Value;
        if (record.GetString("Status") != Running)
        {
            return;
        }

        await foreach (var page in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {operation.Id} and RowKey gt {BatchPrefix} and RowKey lt {BatchPrefix + "~"} and Status ne {Done}"),
            maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            if (page.Values.Count > 0)
            {
                return;
            }

            if (page.ContinuationToken is null)
            {
                break;
            }
        }

        try
        {
            await work.CompleteAsync(operation, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Every batch is done, so a failure here would otherwise leave the operation Running with nothing counting it.
            await RecordFailureAsync(table, operation, record, e, cancellationToken);
            throw;
        }

        // Another batch may finish it at the same moment; one that only recorded a failure of its own finishing leaves it Running.
        await MoveAsync(table, operation.Id, Running, record.ETag,
            new TableEntity(operation.Id, OperationRow) { ["Status"] = Succeeded, ["CompletedAt"] = time.GetUtcNow() }, cancellationToken);
    }

    /// <summary>
    /// Moves the operation's row on from <paramref name="from"/> under the ETag it was read with. When another delivery
    /// wrote the row meanwhile, the row is read again: if that delivery moved the status on, its move stands; if the
    /// status is still <paramref name="from"/> (it recorded a failure, or an operator's retry reset the count), this
    /// move is made on the row as it now is, so that a failure recorded beside a success cannot keep the operation
    /// where it was.
    /// </summary>
    private static async Task MoveAsync(TableClient table, string operationId, string from, ETag readWith, TableEntity move, CancellationToken cancellationToken)
    {
        var etag = readWith;
        while (true)
        {
            try
            {
                await table.UpdateEntityAsync(move, etag, TableUpdateMode.Merge, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                var now = (await table.GetEntityAsync<TableEntity>(operationId, OperationRow, select: ["RowKey", "Status"], cancellationToken: cancellationToken)).Value;
                if (now.GetString("Status") != from)
                {
                    return;
                }

                etag = now.ETag;
            }
        }
    }

    /// <summary>Records a failed delivery on the row of the step that failed: the operation's own row for the listing, the batch's row for a batch.</summary>
    private async Task RecordFailureAsync(TableClient table, OperationRecord operation, TableEntity row, Exception error, CancellationToken cancellationToken)
    {
        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        if (attempts >= WorkQueue.MaxDequeueCount)
        {
            LogSetAside(logger, error, operation.Id, row.RowKey, attempts);
        }
        else
        {
            LogRetrying(logger, error, operation.Id, row.RowKey, attempts);
        }

        try
        {
            await table.UpdateEntityAsync(new TableEntity(operation.Id, row.RowKey)
            {
                ["Attempts"] = attempts, ["LastError"] = error.Message.Length > 1000 ? error.Message[..1000] : error.Message,
            }, row.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404 or >= 500)
        {
            // Recorded by another delivery, or storage is failing too: the host's retry of the message still happens.
        }
    }

    /// <summary>What was skipped, as one property: as many as fit, then how many more.</summary>
    private static string SkippedText(IReadOnlyList<string> skipped)
    {
        var kept = new List<string>();
        foreach (var item in skipped)
        {
            if (JsonSerializer.Serialize(kept.Append(item)).Length > MaxBatchCharacters - 100)
            {
                kept.Add($"and {skipped.Count - kept.Count} more");
                break;
            }

            kept.Add(item);
        }

        return JsonSerializer.Serialize(kept);
    }

    private static string BatchKey(int batch) => $"{BatchPrefix}{batch:D6}";

    private static int BatchNumber(string rowKey) => int.Parse(rowKey.AsSpan(BatchPrefix.Length), System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not note operation {Operation} for the sweep: its record is kept past the retention period.")]
    private static partial void LogNotNoted(ILogger logger, Exception error, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A work message names operation {Operation}, which does not exist; it is dropped.")]
    private static partial void LogUnknownOperation(ILogger logger, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {Operation}, step {Step}, failed (attempt {Attempts}); the host delivers it again.")]
    private static partial void LogRetrying(ILogger logger, Exception error, string operation, string step, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operation {Operation}, step {Step}, failed {Attempts} times and is set aside in the poison queue.")]
    private static partial void LogSetAside(ILogger logger, Exception error, string operation, string step, int attempts);
}

using Azure;
using Azure.Data.Tables;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Where the relays find mail and events that wait to go out, without reading every aggregate (docs/decisions/0018).
/// Before a commit writes outbox rows, a pointer names them: the aggregate, the rows, and when they fall due, in one
/// of <see cref="Partitions"/> partitions of the operations table (chosen by the aggregate's id). A relay reads each
/// partition's pointers of its kind up to now, in the order they fall due, and settles each: rows delivered or parked
/// are done; rows that wait for a later attempt move the pointer to that time; a row not there yet is a commit still
/// on its way and is looked for again, until <see cref="CommitGrace"/> has passed (the commit failed: nothing to send).
/// </summary>
public sealed class OutboxIndex(StorageAccount storage) : IIndexRepair
{
    public const string Mail = "mail";
    public const string Events = "event";

    /// <summary>Enough partitions that a national rush of pointers stays well within one partition's write rate.</summary>
    public const int Partitions = 8;

    /// <summary>How long a pointer waits for the rows it names before it takes their commit for failed.</summary>
    public static readonly TimeSpan CommitGrace = TimeSpan.FromMinutes(5);

    private const string PartitionPrefix = "outbox-due-";

    public static string PartitionOf(string aggregateId)
    {
        // FNV-1a: stable across processes and releases, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in aggregateId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return $"{PartitionPrefix}{hash % Partitions}";
    }

    private static string RowKeyOf(string kind, DateTimeOffset due, string aggregateId, string first) =>
        $"{kind}|{due.UtcTicks:D19}|{aggregateId}|{first}";

    /// <summary>Points at rows about to be committed, each kind with the time it falls due, in one transaction.</summary>
    public async Task PointAsync(string aggregateId, IReadOnlyList<(string Kind, DateTimeOffset Due, IReadOnlyList<string> Rows)> pointers, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var partition = PartitionOf(aggregateId);
        await table.SubmitTransactionAsync(pointers.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            Entity(partition, p.Kind, p.Due, aggregateId, p.Rows, createdAt: p.Due))), cancellationToken);
    }

    /// <summary>Pointers read at a time from one partition: a relay works through a page before it reads the next.</summary>
    public const int PageSize = 250;

    /// <summary>
    /// How long a relay run goes on reading new pages. The timer runs one relay at a time; a run that stops here leaves
    /// the rest to the next, half a minute later, so that a national round's backlog of notices never keeps a run near the
    /// host's function timeout (30 minutes on Flex Consumption), and what falls due meanwhile is read afresh, not from a
    /// list read at the start.
    /// </summary>
    public static readonly TimeSpan RunBudget = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The pointers of <paramref name="kind"/> that have fallen due by <paramref name="now"/>, a page at a time: a page of
    /// each partition in turn, earliest first within each, so that a backlog in one partition holds up none of the others
    /// and a relay holds one page, not the whole backlog. A pointer a relay moves to <paramref name="now"/> (its commit still
    /// on its way) may come up again in a later page of the same listing; settling it twice does no harm.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<OutboxPointer>> DuePagesAsync(string kind, DateTimeOffset now, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var partitions = Enumerable.Range(0, Partitions).Select(i => table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {PartitionPrefix + i} and RowKey gt {kind + "|"} and RowKey lt {$"{kind}|{now.UtcTicks:D19}|~"}"),
            maxPerPage: PageSize, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken)).ToList();
        try
        {
            while (partitions.Count > 0)
            {
                foreach (var partition in partitions.ToList())
                {
                    if (!await partition.MoveNextAsync())
                    {
                        partitions.Remove(partition);
                        await partition.DisposeAsync();
                    }
                    else if (partition.Current.Values.Count > 0)
                    {
                        yield return [.. partition.Current.Values.Select(row => new OutboxPointer(row.PartitionKey, row.RowKey, kind, row.GetString("AggregateId")!,
                            [.. (row.GetString("Rows") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)], row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue))];
                    }
                }
            }
        }
        finally
        {
            foreach (var partition in partitions)
            {
                await partition.DisposeAsync();
            }
        }
    }

    /// <summary>The rows a pointer names that are there, each read by its key; one not there yet is noted as waiting, until the grace has passed.</summary>
    public static async Task<IReadOnlyList<TableEntity>> RowsAsync(TableClient aggregates, OutboxPointer pointer, OutboxWaiting waiting, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        foreach (var key in pointer.Rows)
        {
            var found = await aggregates.GetEntityIfExistsAsync<TableEntity>(pointer.AggregateId, key, cancellationToken: cancellationToken);
            if (found.HasValue)
            {
                rows.Add(found.Value!);
            }
            else
            {
                waiting.UnlessGraceEnded(pointer, key, now);
            }
        }

        return rows;
    }

    /// <summary>
    /// Done with a pointer: removed when nothing it names waits any more, else moved to when the earliest row that
    /// still waits falls due (the new pointer is written before the old is removed, so a failure between them leaves both).
    /// </summary>
    public async Task SettleAsync(OutboxPointer pointer, IReadOnlyList<string> waiting, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        if (waiting.Count > 0 && nextDue is { } due)
        {
            var moved = Entity(pointer.Partition, pointer.Kind, due, pointer.AggregateId, waiting, pointer.CreatedAt);
            await table.UpsertEntityAsync(moved, TableUpdateMode.Replace, cancellationToken);
            if (moved.RowKey == pointer.RowKey)
            {
                return; // due at the same time: rewritten in place
            }
        }

        try
        {
            await table.DeleteEntityAsync(pointer.Partition, pointer.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Settled already by another run.
        }
    }

    public string Indexes => "the mail and events that wait to go out";

    /// <summary>
    /// A pointer for each aggregate's mail and events that wait to go out, where none is: the outbox and event rows of
    /// every aggregate, type by type, each type its range of keys; the rows still to be delivered, grouped by the time they
    /// fall due (a row's next attempt, or its creation, which is when its commit pointed at it), under the key the commit
    /// or a relay's move gave their pointer. A row whose pointer a relay moved elsewhere may get a second one, which the
    /// relay settles when it finds the row delivered.
    /// </summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var aggregates = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var operations = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var written = 0;
        foreach (var type in AggregateStore.Types)
        {
            var prefix = AggregateStore.IdPrefixOf(type);
            foreach (var (kind, rowPrefix) in new[] { (Mail, AggregateStore.OutboxRowPrefix), (Events, AggregateStore.EventRowPrefix) })
            {
                var waiting = new List<(string AggregateId, DateTimeOffset Due, string Row)>();
                await foreach (var row in aggregates.QueryAsync<TableEntity>(
                    TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"} and RowKey gt {rowPrefix} and RowKey lt {rowPrefix + "~"}"),
                    select: ["PartitionKey", "RowKey", "Status", "NextAttemptAt", "CreatedAt"], cancellationToken: cancellationToken))
                {
                    if (row.GetString("Status") is OutboxStatus.Pending or OutboxStatus.Sending)
                    {
                        waiting.Add((row.PartitionKey, row.GetDateTimeOffset("NextAttemptAt") ?? row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch, row.RowKey));
                    }
                }

                foreach (var pointer in waiting.GroupBy(w => (w.AggregateId, w.Due)))
                {
                    var (aggregateId, due) = pointer.Key;
                    var rows = pointer.Select(w => w.Row).ToList();
                    if (await IndexRows.InsertIfMissingAsync(operations, Entity(PartitionOf(aggregateId), kind, due, aggregateId, rows, createdAt: due), cancellationToken))
                    {
                        written++;
                    }
                }
            }
        }

        return written;
    }

    private static TableEntity Entity(string partition, string kind, DateTimeOffset due, string aggregateId, IReadOnlyList<string> rows, DateTimeOffset createdAt) =>
        new(partition, RowKeyOf(kind, due, aggregateId, rows[0]))
        {
            ["AggregateId"] = aggregateId,
            ["Rows"] = string.Join(' ', rows),
            ["CreatedAt"] = createdAt,
        };
}

/// <param name="Rows">The row keys, in the aggregate's partition, that the pointer names.</param>
/// <param name="CreatedAt">When the commit that wrote the rows began: until <see cref="OutboxIndex.CommitGrace"/> after it, a row not there yet may still come.</param>
public sealed record OutboxPointer(string Partition, string RowKey, string Kind, string AggregateId, IReadOnlyList<string> Rows, DateTimeOffset CreatedAt);

/// <summary>What a pointer's rows still wait for, as a relay finds them, and when the earliest of them falls due.</summary>
public sealed class OutboxWaiting
{
    private readonly List<string> _rows = [];

    public IReadOnlyList<string> Rows => _rows;

    public DateTimeOffset? NextDue { get; private set; }

    public void Add(string rowKey, DateTimeOffset due)
    {
        _rows.Add(rowKey);
        NextDue = NextDue is { } earlier && earlier <= due ? earlier : due;
    }

    /// <summary>A row not there yet: its commit may still be on its way, and it is looked for again, until the grace has passed.</summary>
    public void UnlessGraceEnded(OutboxPointer pointer, string rowKey, DateTimeOffset now)
    {
        if (now < pointer.CreatedAt + OutboxIndex.CommitGrace)
        {
            Add(rowKey, now);
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Grants.Domain.Auditing;

namespace Grants.Functions.Platform.Storage;

/// <summary>An aggregate as stored: its state, status, version, audit head and ETag.</summary>
public sealed record StoredAggregate<TState>(
    string Id,
    string Type,
    string Status,
    TState State,
    long Version,
    long AuditSequence,
    string AuditHead,
    ETag ETag)
{
    /// <summary>Query columns on the state row (see <see cref="AggregateStore.IndexColumn"/>); kept across updates.</summary>
    public IReadOnlyDictionary<string, string> Index { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The Idempotency-Key operations (<see cref="RequestOperation"/>) whose commands wrote this
    /// aggregate lately, newest first, each with when: kept on the state row across later writes by
    /// others (at most <see cref="AggregateStore.RecentOperationsKept"/>, none older than
    /// <see cref="AggregateStore.RecentOperationsWindow"/>), so that a retry still recognises its own write
    /// after, say, the round's closing notice was recorded on the same application.
    /// </summary>
    public IReadOnlyList<(string Operation, DateTimeOffset At)> RecentOperations { get; init; } = [];

    /// <summary>When this version was written: the last time anything happened to the aggregate (retention counts from it).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// This version is the effect of the operation the current request carries out: an earlier attempt
    /// of the same request already did the work, so the retry should answer with it rather than act again.
    /// </summary>
    /// A key used again long after its stored response was forgotten starts a new operation: a version
    /// written before that operation began is not its own, even under the same tag.
    public bool WrittenByCurrentOperation =>
        RequestOperation.Id is { } current && RecentOperations.Any(o => o.Operation == current && o.At >= RequestOperation.StartedAt);
}

/// <summary>Where an aggregate's audit chain stands: its last event's sequence and hash, as its state row records them.</summary>
public sealed record AuditHead(string AggregateId, string AggregateType, long Sequence, string Hash);

/// <summary>An audit event a command wants recorded with its state change.</summary>
public sealed record PendingAuditEvent(string Type, object? Payload);

/// <summary>An email a command wants sent once its state change is committed.</summary>
/// <param name="Confidential">The body carries a secret (a personal link, a voucher code): it is erased from the outbox once delivered.</param>
/// <param name="Language">The language the letter is written in; its closing (sender, programme team) is added in the same language.</param>
/// <param name="Notice">A notice to ministry staff rather than a letter: it goes without the letter's closing.</param>
public sealed record OutboxEmail(string To, string Subject, string Body, bool Confidential = false, string Language = Grants.Domain.Common.Languages.Dutch, bool Notice = false);

/// <summary>
/// Something that happened to an aggregate which other features act on (an award accepted starts a grant): committed
/// with the change, then handed to its subscribers (<see cref="Events.EventDispatcher"/>) until each has done its part.
/// </summary>
/// <param name="Name">What happened, as the emitting aggregate names it (e.g. <c>ApplicationEvents.PlaceReleased</c>).</param>
/// <param name="Detail">A short qualifier the subscribers need (which kind of release); never personal data.</param>
public sealed record OutboxEvent(string Name, string? Detail = null);

/// <summary>What a command adds next to the new state: its audit events, outgoing mail, and the events other features act on.</summary>
public sealed record Change(IReadOnlyList<PendingAuditEvent> Events, IReadOnlyList<OutboxEmail> Emails)
{
    public static Change Of(PendingAuditEvent auditEvent, params OutboxEmail[] emails) => new([auditEvent], emails);

    public IReadOnlyList<OutboxEvent> Outbox { get; init; } = [];

    /// <summary>The same change, with events for other features to act on once it is committed.</summary>
    public Change Raising(params OutboxEvent[] events) => this with { Outbox = [.. Outbox, .. events] };

    /// <summary>No change at all: a command that finds its work already done (see <see cref="Commands.Commit{TState}.Unchanged"/>).</summary>
    public static Change None { get; } = new([], []);
}

/// <summary>
/// Stores each aggregate in its own partition: one state row, its hash-chained audit events and its
/// outbox messages. A command's new state, audit events and outbox messages are written in one
/// entity group transaction (docs/design.md §2.2), guarded by the state row's ETag (§2.3).
/// </summary>
public sealed class AggregateStore(StorageAccount storage, TimeProvider time)
{
    private readonly OutboxIndex _outboxIndex = new(storage);

    public const string StateRowKey = "state";
    public const string AuditRowPrefix = "audit|";
    public const string OutboxRowPrefix = "outbox|";
    public const string EventRowPrefix = "event|";

    /// <summary>128 random bits in every audit payload, so its hash cannot confirm a guess once it is erased (<see cref="AuditChain.Salted"/>).</summary>
    private const int AuditSaltBytes = 16;

    /// <summary>On the first audit row of an aggregate created under an Idempotency-Key without reservation: the operation, and the hash of its request.</summary>
    private const string CreatedByColumn = "CreatedBy";
    private const string RequestFingerprintColumn = "RequestFingerprint";

    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    public async Task<StoredAggregate<TState>?> FindAsync<TState>(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(id, StateRowKey, cancellationToken: cancellationToken);
        return row.HasValue ? ToAggregate<TState>(row.Value!) : null;
    }

    /// <summary>Every aggregate of the type: the range of partition keys its ids begin with (<see cref="IdPrefixOf"/>).</summary>
    public Task<IReadOnlyList<StoredAggregate<TState>>> ListAsync<TState>(string type, CancellationToken cancellationToken) =>
        InKeyRangeAsync<TState>(type, IdPrefixOf(type), cancellationToken);

    /// <summary>
    /// The prefix every id of an aggregate type begins with: the type and a hyphen, but "app-" for applications and
    /// "org-" for organisations. All aggregates of a type are therefore one range of partition keys, which the table
    /// serves from its key index; a create whose id does not begin so is refused (<see cref="CreateAsync{TState}(string, string, string, TState, string, Change, IReadOnlyDictionary{string, string}, CancellationToken)"/>).
    /// </summary>
    public static string IdPrefixOf(string type) => type switch
    {
        "application" => "app-",
        "organisation" => "org-",
        _ => type + "-",
    };

    /// <summary>
    /// Every type of aggregate the product has (each store's, kept complete by <c>AtomicCommitTests</c>), so that reading
    /// each type's range of keys reads every aggregate (<see cref="AuditHeadsAsync"/>). Ordered by their prefixes, which
    /// do not overlap.
    /// </summary>
    public static IReadOnlyList<string> Types { get; } = [.. new[]
    {
        "application", "assessment", "committee", "grant", "organisation", "round", "scheme", "supplier", "survey", "voucher",
    }.OrderBy(IdPrefixOf, StringComparer.Ordinal)];

    public Task<StoredAggregate<TState>> CreateAsync<TState>(string type, string id, string status, TState state, string actor, Change change, CancellationToken cancellationToken) =>
        CreateAsync(type, id, status, state, actor, change, NoIndex, cancellationToken);

    /// <param name="index">
    /// Columns written on the state row (e.g. RoundId); those that name an owner (<see cref="Memberships.Owners"/>) also
    /// list the new aggregate under its owner, before it is written, so that it is never missing from the list.
    /// </param>
    public async Task<StoredAggregate<TState>> CreateAsync<TState>(string type, string id, string status, TState state, string actor, Change change, IReadOnlyDictionary<string, string> index, CancellationToken cancellationToken)
    {
        if (!id.StartsWith(IdPrefixOf(type), StringComparison.Ordinal))
        {
            throw new ArgumentException($"A {type}'s id begins with \"{IdPrefixOf(type)}\", so that its type is one range of keys; {id} does not.", nameof(id));
        }

        await JoinOwnersAsync(type, id, index, cancellationToken);
        return await CommitAsync(type, id, status, state, actor, change, current: null, index, cancellationToken)
            ?? await FindOwnCreationAsync<TState>(id, cancellationToken)
            ?? throw new AggregateExistsException(id);
    }

    /// <summary>
    /// The aggregates of <paramref name="type"/> whose ids begin with <paramref name="prefix"/>: one range of partition
    /// keys, which the table serves from its key index — a round's applications, say, whose ids all begin with the
    /// round's. In id order.
    /// </summary>
    public async Task<IReadOnlyList<StoredAggregate<TState>>> InKeyRangeAsync<TState>(string type, string prefix, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var list = new List<StoredAggregate<TState>>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            StateRows(type, prefix),
            cancellationToken: cancellationToken))
        {
            list.Add(ToAggregate<TState>(row));
        }

        return list;
    }

    /// <summary>The ids of every aggregate of the type, its range of keys read for the keys alone.</summary>
    public async Task<IReadOnlyList<string>> IdsAsync(string type, CancellationToken cancellationToken)
    {
        var prefix = IdPrefixOf(type);
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            StateRows(type, prefix),
            select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.PartitionKey);
        }

        return ids;
    }

    /// <summary>One page of <see cref="InKeyRangeAsync{TState}"/>, narrowed by <paramref name="filter"/> on the state row; pass the returned token for the next page.</summary>
    public async Task<(IReadOnlyList<StoredAggregate<TState>> Items, string? ContinuationToken)> PageInKeyRangeAsync<TState>(
        string type, string prefix, FormattableString? filter, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var range = StateRows(type, prefix);
        var query = table.QueryAsync<TableEntity>(filter is null ? range : $"{range} and ({TableClient.CreateQueryFilter(filter)})", maxPerPage: pageSize, cancellationToken: cancellationToken);
        await foreach (var page in query.AsPages(continuationToken, pageSize))
        {
            return ([.. page.Values.Select(ToAggregate<TState>)], page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>
    /// The aggregates of <paramref name="type"/> that belong to an owner (<see cref="Memberships"/>): its partition of the
    /// members table, then each aggregate read by its key, in id order. A member whose aggregate is not there, or names
    /// another owner, was left by a create that did not happen and is passed over.
    /// </summary>
    public Task<IReadOnlyList<StoredAggregate<TState>>> MembersAsync<TState>(string type, string owner, string value, CancellationToken cancellationToken) =>
        ListedUnderAsync<TState>(Memberships.Partition(type, owner, value), a => a.Type == type && a.Index.TryGetValue(owner, out var named) && named == value, cancellationToken);

    /// <summary>
    /// Lists <paramref name="id"/> in a partition of the members table of the caller's choosing, for a membership that is
    /// not one owner column: write it before the commit that makes it true, and check it when read (<see cref="ListedUnderAsync{TState}"/>).
    /// </summary>
    /// <returns>Whether the row was missing and is written now.</returns>
    public async Task<bool> ListUnderAsync(string partition, string id, CancellationToken cancellationToken) =>
        await IndexRows.InsertIfMissingAsync(await storage.TableAsync(TableNames.Members, cancellationToken), new TableEntity(partition, id), cancellationToken);

    /// <summary>The aggregates listed in <paramref name="partition"/> that still <paramref name="belong"/> there, each read by its key, in id order.</summary>
    public Task<IReadOnlyList<StoredAggregate<TState>>> ListedUnderAsync<TState>(string partition, Func<StoredAggregate<TState>, bool> belong, CancellationToken cancellationToken) =>
        ReadListedAsync(partition, belong, removeTheRest: false, cancellationToken);

    /// <summary>
    /// The one way a members partition is read: its ids, then each aggregate by its key, <see cref="Memberships.ReadsInFlight"/> at a
    /// time, keeping those that <paramref name="belong"/>, in id order; with <paramref name="removeTheRest"/>, the rows of the
    /// others go (a hint that proved stale).
    /// </summary>
    private async Task<IReadOnlyList<StoredAggregate<TState>>> ReadListedAsync<TState>(
        string partition, Func<StoredAggregate<TState>, bool> belong, bool removeTheRest, CancellationToken cancellationToken)
    {
        var members = await storage.TableAsync(TableNames.Members, cancellationToken);
        var ids = new List<string>();
        await foreach (var row in members.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }

        var found = new StoredAggregate<TState>?[ids.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = Memberships.ReadsInFlight, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                found[i] = await FindAsync<TState>(ids[i], ct) is { } aggregate && belong(aggregate) ? aggregate : null;
                if (found[i] is null && removeTheRest)
                {
                    try
                    {
                        await members.DeleteEntityAsync(partition, ids[i], ETag.All, ct);
                    }
                    catch (RequestFailedException e) when (e.Status == 404)
                    {
                        // Another reader removed it first.
                    }
                }
            });
        return [.. found.OfType<StoredAggregate<TState>>()];
    }

    private async Task JoinOwnersAsync(string type, string id, IReadOnlyDictionary<string, string> index, CancellationToken cancellationToken)
    {
        var owners = index.Where(column => Memberships.Owners.Contains(column.Key)).ToList();
        if (owners.Count == 0)
        {
            return;
        }

        var table = await storage.TableAsync(TableNames.Members, cancellationToken);
        await Task.WhenAll(owners.Select(owner => IndexRows.InsertIfMissingAsync(table, new TableEntity(Memberships.Partition(type, owner.Key, owner.Value), id), cancellationToken)));
    }

    public Task<StoredAggregate<TState>> UpdateAsync<TState>(StoredAggregate<TState> current, string status, TState state, string actor, Change change, CancellationToken cancellationToken) =>
        UpdateAsync(current, status, state, actor, change, NoIndex, cancellationToken);

    public async Task<StoredAggregate<TState>> UpdateAsync<TState>(StoredAggregate<TState> current, string status, TState state, string actor, Change change, IReadOnlyDictionary<string, string> index, CancellationToken cancellationToken) =>
        await CommitAsync(current.Type, current.Id, status, state, actor, change, current, index, cancellationToken) ?? throw new ConcurrencyConflictException(current.Id);

    /// <summary>Every state row of one aggregate type.</summary>
    public Task<IReadOnlyList<StoredAggregate<TState>>> QueryAsync<TState>(string type, CancellationToken cancellationToken) =>
        QueryAsync<TState>(type, $"AggregateType eq {type}", cancellationToken);

    /// <summary>Every aggregate of a type whose state row matches the filter.</summary>
    public async Task<IReadOnlyList<StoredAggregate<TState>>> QueryAsync<TState>(string type, FormattableString filter, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var list = new List<StoredAggregate<TState>>();
        await foreach (var row in table.QueryAsync<TableEntity>(StateFilter(type, filter), cancellationToken: cancellationToken))
        {
            list.Add(ToAggregate<TState>(row));
        }

        return list;
    }

    public static string IndexColumn(string name) => $"ix_{name}";

    /// <summary>
    /// The filter for the state rows of a type whose ids begin with <paramref name="prefix"/>: one range of partition keys,
    /// which the table serves from its key index. A type's own rows only, where one type's prefix begins another's.
    /// </summary>
    public static string StateRows(string type, string prefix) =>
        // Ids are letters, digits and '-' (and '|' nowhere in them): '~' sorts after every one of them.
        TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"} and RowKey eq {StateRowKey} and AggregateType eq {type}");

    /// <summary>The type's state rows, within the range of keys its ids begin with, narrowed by <paramref name="filter"/>.</summary>
    private static string StateFilter(string type, FormattableString filter)
    {
        return $"{StateRows(type, IdPrefixOf(type))} and ({TableClient.CreateQueryFilter(filter)})";
    }

    public async Task<IReadOnlyList<AuditEvent>> AuditTrailAsync(string id, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var events = new List<AuditEvent>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey gt {AuditRowPrefix} and RowKey lt {AuditRowPrefix + "~"}"),
            cancellationToken: cancellationToken))
        {
            var auditEvent = new AuditEvent(
                id,
                row.GetInt64("Sequence") ?? 0,
                row.GetString("EventType") ?? "",
                row.GetString("Actor") ?? "",
                row.GetDateTimeOffset("OccurredAt") ?? default,
                row.GetString("Payload") ?? "",
                row.GetString("PreviousHash") ?? "",
                row.GetString("Hash") ?? "");
            events.Add(auditEvent with { PayloadHash = row.GetString("PayloadHash") ?? string.Empty });
        }

        return events;
    }

    /// <summary>
    /// The head of every aggregate's chain, read page by page from the state rows (never the events, nor the whole
    /// table at once): type by type, each the range of keys its ids begin with, so in the order of the keys.
    /// </summary>
    public async IAsyncEnumerable<AuditHead> AuditHeadsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        foreach (var type in Types)
        {
            var prefix = IdPrefixOf(type);
            await foreach (var row in table.QueryAsync<TableEntity>(
                StateRows(type, prefix),
                select: ["PartitionKey", "AggregateType", "AuditSequence", "AuditHead"], cancellationToken: cancellationToken))
            {
                yield return new AuditHead(row.PartitionKey, row.GetString("AggregateType") ?? "", row.GetInt64("AuditSequence") ?? 0, row.GetString("AuditHead") ?? AuditChain.Genesis);
            }
        }
    }

    /// <summary>
    /// Retention: replaces the payloads of the given audit events with <see cref="AuditChain.ErasedPayload"/>
    /// (the chain links payload hashes, so it still verifies; the erasure event that names them was
    /// committed first) and the addresses and text of the aggregate's delivered or parked mail.
    /// Repeating it is harmless.
    /// </summary>
    public async Task EraseHistoryAsync(string id, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        // A record erased twice (an organisation that registered again) names its early events twice; a batch may touch each row once.
        var actions = sequences.Distinct().Select(sequence => new TableTransactionAction(TableTransactionActionType.UpdateMerge, ErasedEvent(id, sequence), ETag.All)).ToList();
        await foreach (var mail in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey gt {OutboxRowPrefix} and RowKey lt {OutboxRowPrefix + "~"} and Status ne {OutboxStatus.Pending}"),
            select: ["RowKey"], cancellationToken: cancellationToken))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                new TableEntity(id, mail.RowKey) { ["To"] = ErasedAddress, ["Subject"] = "", ["Body"] = "" }, ETag.All));
        }

        foreach (var batch in actions.Chunk(AzureTableLimits.MaxTransactionActions))
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    /// <summary>An audit row's payload emptied; on the first, also the hashes of the request that created the aggregate (they derive from its body and caller).</summary>
    private static TableEntity ErasedEvent(string id, long sequence)
    {
        var row = new TableEntity(id, $"{AuditRowPrefix}{sequence:D10}") { ["Payload"] = AuditChain.ErasedPayload };
        if (sequence == 1)
        {
            row[CreatedByColumn] = "";
            row[RequestFingerprintColumn] = "";
        }

        return row;
    }

    /// <summary>The recipient of an erased mail.</summary>
    public const string ErasedAddress = "erased@invalid";

    public static string OutboxMessageId(string aggregateId, long auditSequence, int index) => $"{aggregateId}.{auditSequence}.{index}";

    private static readonly IReadOnlyDictionary<string, string> NoIndex = new Dictionary<string, string>();

    /// <summary>Raised after every state change attempted through this store, whatever its outcome (see <see cref="RecentAggregates"/>).</summary>
    public event Action<string>? Committed;

    /// <returns>What was stored; null when another command's write won the race (the aggregate exists, or changed since it was loaded).</returns>
    private async Task<StoredAggregate<TState>?> CommitAsync<TState>(
        string type, string id, string status, TState state, string actor, Change change, StoredAggregate<TState>? current,
        IReadOnlyDictionary<string, string> index, CancellationToken cancellationToken)
    {
        var (entering, leaving) = current?.Status == status
            ? (null, null)
            : (Memberships.StatusPartition(type, status), current is null ? null : Memberships.StatusPartition(type, current.Status));
        if (entering is not null)
        {
            await IndexRows.InsertIfMissingAsync(await storage.TableAsync(TableNames.Members, cancellationToken), new TableEntity(entering, id), cancellationToken);
        }

        StoredAggregate<TState>? written;
        try
        {
            written = await WriteAsync(type, id, status, state, actor, change, current, index, cancellationToken);
        }
        finally
        {
            Committed?.Invoke(id);
        }

        if (written is not null && leaving is not null)
        {
            try
            {
                await (await storage.TableAsync(TableNames.Members, cancellationToken)).DeleteEntityAsync(leaving, id, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is RequestFailedException { Status: 404 } || StorageExceptions.IsTransient(e))
            {
                // Gone already, or left behind: the change is committed, and whoever reads the status next finds the
                // aggregate in another one and removes the row (InWatchedStatusAsync).
            }
        }

        return written;
    }

    /// <summary>
    /// The aggregates of <paramref name="type"/> in a watched <paramref name="status"/> (<see cref="Memberships.WatchedStatuses"/>):
    /// its partition of the members table, each read by its key; a row whose aggregate is no longer in the status is removed.
    /// </summary>
    public Task<IReadOnlyList<StoredAggregate<TState>>> InWatchedStatusAsync<TState>(string type, string status, CancellationToken cancellationToken) =>
        ReadListedAsync<TState>(Memberships.StatusPartition(type, status) ?? throw new ArgumentException($"{type} status {status} is not watched.", nameof(status)),
            a => a.Type == type && a.Status == status, removeTheRest: true, cancellationToken);

    private async Task<StoredAggregate<TState>?> WriteAsync<TState>(
        string type, string id, string status, TState state, string actor, Change change, StoredAggregate<TState>? current,
        IReadOnlyDictionary<string, string> index, CancellationToken cancellationToken)
    {
        if (change.Events.Count == 0)
        {
            throw new ArgumentException("Every state change records at least one audit event.", nameof(change));
        }

        var now = time.GetUtcNow();
        var commitId = Guid.NewGuid().ToString("N");
        var sequence = current?.AuditSequence ?? 0;
        var head = current?.AuditHead ?? AuditChain.Genesis;
        var actions = new List<TableTransactionAction>();

        var audit = new List<AuditEvent>();
        foreach (var pending in change.Events)
        {
            var payload = AuditChain.Salted(JsonSerializer.Serialize(pending.Payload, Json), RandomNumberGenerator.GetBytes(AuditSaltBytes));
            var auditEvent = AuditChain.Append(id, sequence, head, pending.Type, actor, now, payload);
            sequence = auditEvent.Sequence;
            head = auditEvent.Hash;
            audit.Add(auditEvent);
        }

        var stateRow = new TableEntity(id, StateRowKey)
        {
            ["AggregateType"] = type,
            ["Status"] = status,
            ["State"] = JsonSerializer.Serialize(state, Json),
            ["Version"] = (current?.Version ?? 0) + 1,
            ["AuditSequence"] = sequence,
            ["AuditHead"] = head,
            ["CommitId"] = commitId,
            ["UpdatedAt"] = now,
        };
        var operations = RecentOperationsAfter(current, now);
        if (operations.Count > 0)
        {
            stateRow[RecentOperationsColumn] = string.Join(';', operations.Select(o => $"{o.Operation}@{o.At.UtcTicks}"));
        }

        var mergedIndex = new Dictionary<string, string>(current?.Index ?? NoIndex);
        foreach (var (name, value) in index)
        {
            mergedIndex[name] = value;
        }

        foreach (var (name, value) in mergedIndex)
        {
            stateRow[IndexColumn(name)] = value;
        }

        actions.Add(current is null
            ? new TableTransactionAction(TableTransactionActionType.Add, stateRow)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, stateRow, current.ETag));

        actions.AddRange(audit.Select(e => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, $"{AuditRowPrefix}{e.Sequence:D10}")
        {
            ["Sequence"] = e.Sequence,
            ["EventType"] = e.Type,
            ["Actor"] = e.Actor,
            ["OccurredAt"] = e.OccurredAt,
            ["Payload"] = e.Payload,
            ["PayloadHash"] = e.PayloadHash,
            ["PreviousHash"] = e.PreviousHash,
            ["Hash"] = e.Hash,
        })));
        if (current is null && RequestOperation.Fingerprint is { } fingerprint)
        {
            // A create that carries its Idempotency-Key itself: the first event names the request, for good.
            var first = (TableEntity)actions[1].Entity;
            first[CreatedByColumn] = RequestOperation.Id;
            first[RequestFingerprintColumn] = fingerprint;
        }

        for (var i = 0; i < change.Emails.Count; i++)
        {
            var email = change.Emails[i];
            var messageId = OutboxMessageId(id, sequence, i);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, OutboxRowPrefix + messageId)
            {
                ["MessageId"] = messageId,
                ["To"] = email.To,
                ["Subject"] = email.Subject,
                ["Body"] = email.Body,
                ["Confidential"] = email.Confidential,
                ["Language"] = email.Language,
                ["Notice"] = email.Notice,
                ["Status"] = OutboxStatus.Pending,
                ["Attempts"] = 0,
                ["CreatedAt"] = now,
            }));
        }

        for (var i = 0; i < change.Outbox.Count; i++)
        {
            var raised = change.Outbox[i];
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, $"{EventRowPrefix}{sequence:D10}.{i}")
            {
                ["Name"] = raised.Name,
                ["Detail"] = raised.Detail,
                ["Actor"] = actor,
                ["Status"] = OutboxStatus.Pending,
                ["Attempts"] = 0,
                ["CreatedAt"] = now,
                // The request that commits it hands it over at once; the relay takes over only if that did not finish.
                ["NextAttemptAt"] = now + Events.EventDispatcher.HandOverGrace,
            }));
        }

        AzureTableLimits.CheckTransaction(actions);

        // The relays find these rows by the pointer, written first: a commit that lands has its pointer.
        var keys = actions.Select(a => a.Entity.RowKey).ToList();
        var pointers = new List<(string Kind, DateTimeOffset Due, IReadOnlyList<string> Rows)>();
        if (keys.Where(k => k.StartsWith(OutboxRowPrefix, StringComparison.Ordinal)).ToList() is [_, ..] mail)
        {
            pointers.Add((OutboxIndex.Mail, now, mail));
        }

        if (keys.Where(k => k.StartsWith(EventRowPrefix, StringComparison.Ordinal)).ToList() is [_, ..] events)
        {
            pointers.Add((OutboxIndex.Events, now + Events.EventDispatcher.HandOverGrace, events));
        }

        if (pointers.Count > 0)
        {
            await _outboxIndex.PointAsync(id, pointers, cancellationToken);
        }

        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken);
            var etag = response.Value[0].Headers.ETag ?? throw new InvalidOperationException("Table service returned no ETag.");
            return new StoredAggregate<TState>(id, type, status, state, (long)stateRow["Version"], sequence, head, etag) { Index = mergedIndex, RecentOperations = operations, UpdatedAt = now };
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is null or 0 && e.Status is 409 or 412)
        {
            // The SDK retries a request whose response was lost; the retry then meets our own write.
            // The commit id tells our write from someone else's. Null for someone else's: a create then
            // asks whether an earlier attempt of this same request made it (see CreateAsync).
            return await OwnWriteAsync<TState>(table, id, commitId, cancellationToken);
        }
        catch (Exception e) when (StorageExceptions.IsTransient(e))
        {
            // Every attempt failed or lost its response: the write may still have landed. Look before
            // reporting a failure, so that a committed change is never answered with an error.
            StoredAggregate<TState>? own;
            try
            {
                own = await OwnWriteAsync<TState>(table, id, commitId, cancellationToken);
            }
            catch (Exception lookup) when (StorageExceptions.IsTransient(lookup))
            {
                own = null;
            }

            if (own is null)
            {
                throw;
            }

            return own;
        }
    }

    /// <summary>How many of the operations that wrote an aggregate its state row remembers, and for how long: a retry comes within minutes.</summary>
    public const int RecentOperationsKept = 8;

    public static readonly TimeSpan RecentOperationsWindow = TimeSpan.FromHours(1);

    private const string RecentOperationsColumn = "Operations";

    /// <summary>What the previous version kept, with the current request's operation in front.</summary>
    private static List<(string Operation, DateTimeOffset At)> RecentOperationsAfter<TState>(StoredAggregate<TState>? current, DateTimeOffset now)
    {
        var kept = (current?.RecentOperations ?? []).Where(o => o.At > now - RecentOperationsWindow && o.Operation != RequestOperation.Id);
        return (RequestOperation.Id is { } operation ? kept.Prepend((operation, now)) : kept).Take(RecentOperationsKept).ToList();
    }

    /// <summary>Reads <see cref="RecentOperationsColumn"/>; a row from before it names its one writer in <c>Operation</c>.</summary>
    private static IReadOnlyList<(string Operation, DateTimeOffset At)> ParseRecentOperations(TableEntity row)
    {
        if (row.GetString(RecentOperationsColumn) is { Length: > 0 } list)
        {
            var operations = new List<(string, DateTimeOffset)>();
            foreach (var entry in list.Split(';'))
            {
                // Whole ticks: compared with the instant the operation's key was reserved, to the tick.
                if (entry.Split('@') is [var operation, var at] && long.TryParse(at, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                    && ticks >= 0 && ticks <= DateTime.MaxValue.Ticks)
                {
                    operations.Add((operation, new DateTimeOffset(ticks, TimeSpan.Zero)));
                }
            }

            return operations;
        }

        return row.GetString("Operation") is { } single ? [(single, row.GetDateTimeOffset("UpdatedAt") ?? default)] : [];
    }

    /// <summary>The aggregate as stored when this very write (<paramref name="commitId"/>) is what landed; null otherwise.</summary>
    private static async Task<StoredAggregate<TState>?> OwnWriteAsync<TState>(TableClient table, string id, string commitId, CancellationToken cancellationToken)
    {
        var stored = await table.GetEntityIfExistsAsync<TableEntity>(id, StateRowKey, cancellationToken: cancellationToken);
        return stored.HasValue && stored.Value!.GetString("CommitId") == commitId ? ToAggregate<TState>(stored.Value) : null;
    }

    /// <summary>
    /// The aggregate, if the operation the current request carries out created it: a retry of a create
    /// that committed, which should answer with it even where the request would now be refused
    /// (a round closed since, say). Null when it does not exist or someone else created it.
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The same Idempotency-Key created it with another request.</exception>
    public async Task<StoredAggregate<TState>?> FindOwnCreationAsync<TState>(string id, CancellationToken cancellationToken)
    {
        if (RequestOperation.Id is null || await FindAsync<TState>(id, cancellationToken) is not { } aggregate)
        {
            return null;
        }

        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        return await IsOwnCreationAsync(table, aggregate, cancellationToken) ? aggregate : null;
    }

    /// <summary>
    /// Whether the current operation created the aggregate. A create that carries its key itself is
    /// recognised by its first audit event, whatever happened to the aggregate since; one under a
    /// reservation by the operations its state row keeps (<see cref="StoredAggregate{TState}.RecentOperations"/>).
    /// </summary>
    private static async Task<bool> IsOwnCreationAsync<TState>(TableClient table, StoredAggregate<TState> aggregate, CancellationToken cancellationToken)
    {
        if (RequestOperation.Fingerprint is not { } fingerprint)
        {
            return aggregate.WrittenByCurrentOperation;
        }

        var first = await table.GetEntityIfExistsAsync<TableEntity>(aggregate.Id, $"{AuditRowPrefix}{1:D10}", [CreatedByColumn, RequestFingerprintColumn], cancellationToken);
        if (!first.HasValue || first.Value!.GetString(CreatedByColumn) != RequestOperation.Id)
        {
            return false;
        }

        return first.Value.GetString(RequestFingerprintColumn) == fingerprint ? true : throw new IdempotencyKeyReusedException(aggregate.Id);
    }

    private static StoredAggregate<TState> ToAggregate<TState>(TableEntity row) => new(
        row.PartitionKey,
        row.GetString("AggregateType") ?? "",
        row.GetString("Status") ?? "",
        JsonSerializer.Deserialize<TState>(row.GetString("State") ?? "null", Json)!,
        row.GetInt64("Version") ?? 0,
        row.GetInt64("AuditSequence") ?? 0,
        row.GetString("AuditHead") ?? AuditChain.Genesis,
        row.ETag)
    {
        Index = row.Keys.Where(k => k.StartsWith("ix_", StringComparison.Ordinal)).ToDictionary(k => k[3..], k => row.GetString(k) ?? ""),
        RecentOperations = ParseRecentOperations(row),
        UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
    };

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return options;
    }
}

/// <summary>Where an outbox row stands: waiting to go out, claimed by a relay while it is being sent (mail only), or gone out.</summary>
public static class OutboxStatus
{
    public const string Pending = "Pending";
    public const string Sending = "Sending";
    public const string Sent = "Sent";
}

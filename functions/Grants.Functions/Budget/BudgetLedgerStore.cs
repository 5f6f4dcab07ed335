using Azure;
using Azure.Data.Tables;
using Grants.Domain.Budget;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Budget;

/// <summary>Whether a posting was made now, or had been made before under the same entry id (a retry).</summary>
public sealed record LedgerPostingResult(LedgerBalance Balance, bool AlreadyPosted);

/// <summary>
/// A round's budget ledger on Azure Tables. Each posting writes the new balance (under the ETag of
/// the balance it was checked against), the application's position and the append-only entry in one
/// entity group transaction, so the ceiling holds under any concurrency: a posting that lost the race
/// re-reads and is checked again. The entry id makes a posting idempotent: a retry finds its entry and
/// changes nothing.
/// </summary>
public sealed class BudgetLedgerStore(StorageAccount storage)
{
    private const string BalanceRow = "balance";
    private const string PositionPrefix = "position|";
    private const string EntryPrefix = "entry|";
    private const int MaxAttempts = 200;

    /// <summary>One posting at a time per ledger within this instance (see <see cref="TurnAsync"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    public static string PartitionFor(string roundId) => $"ledger-{roundId}";

    public async Task<LedgerPostingResult> PostAsync(string roundId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Ledgers, cancellationToken);
        var partition = PartitionFor(roundId);
        using var turn = await TurnAsync(partition, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            // The three rows a posting depends on, read at once.
            var balanceRead = FindAsync(table, partition, BalanceRow, cancellationToken);
            var entryRead = FindAsync(table, partition, EntryPrefix + entry.EntryId, cancellationToken);
            var positionRead = entry.Reference is null ? Task.FromResult<TableEntity?>(null) : FindAsync(table, partition, PositionPrefix + entry.Reference, cancellationToken);
            var balanceRow = await balanceRead;
            var positionRow = await positionRead;
            if (await entryRead is { } posted)
            {
                var recorded = ToEntry(posted);
                if (!BudgetLedger.IsRetryOf(recorded, entry))
                {
                    throw new Domain.Common.InvalidTransitionException("ledger entry", $"posted as {recorded.Kind} of {recorded.Amount} cents", "change",
                        $"entry {entry.EntryId} came again as {entry.Kind} of {entry.Amount} cents, and a posted entry never changes");
                }

                return new LedgerPostingResult(ToBalance(balanceRow), AlreadyPosted: true);
            }

            var position = positionRow is null ? LedgerPosition.None(entry.Reference ?? "") : ToPosition(entry.Reference!, positionRow);
            var (balance, newPosition) = BudgetLedger.Apply(ToBalance(balanceRow), position, entry);

            var actions = new List<TableTransactionAction> { Write(BalanceEntity(partition, balance), balanceRow), EntryAction(partition, BudgetLedger.Recorded(position, entry)) };
            if (entry.Reference is not null)
            {
                actions.Add(Write(PositionEntity(partition, newPosition), positionRow));
            }

            AzureTableLimits.CheckTransaction(actions);
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                return new LedgerPostingResult(balance, AlreadyPosted: false);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another posting changed the balance first (or our own write landed and its response was lost):
                // read again; the entry check above tells the two apart.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 2)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Posts many entries in as few transactions as the table allows (a draw's reservation for every
    /// selected application): each transaction writes the balance once under its ETag, and each entry
    /// with its position. Entries already posted are skipped, so a retry after a partial run finishes it;
    /// a transaction that lost a race re-reads the ledger and is checked again.
    /// </summary>
    public async Task<LedgerBalance> PostAllAsync(string roundId, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Ledgers, cancellationToken);
        var partition = PartitionFor(roundId);
        using var turn = await TurnAsync(partition, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var rows = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken)
                .ToDictionaryAsync(row => row.RowKey, StringComparer.Ordinal, cancellationToken);
            var pending = entries.Where(e => !rows.ContainsKey(EntryPrefix + e.EntryId)).ToList();
            try
            {
                // One balance row plus an entry and a position per posting.
                foreach (var chunk in pending.Chunk((AzureTableLimits.MaxTransactionActions - 1) / 2))
                {
                    await PostChunkAsync(table, partition, rows, chunk, cancellationToken);
                }

                return ToBalance(rows.GetValueOrDefault(BalanceRow));
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + Math.Min(attempt, 20) * 2)), cancellationToken);
            }
        }
    }

    /// <summary>Applies a chunk to the rows as read, commits it, and updates the rows with what was written.</summary>
    private static async Task PostChunkAsync(TableClient table, string partition, Dictionary<string, TableEntity> rows, LedgerEntry[] chunk, CancellationToken cancellationToken)
    {
        var balanceRow = rows.GetValueOrDefault(BalanceRow);
        var balance = ToBalance(balanceRow);
        var positions = new Dictionary<string, (TableEntity? Row, LedgerPosition Position)>(StringComparer.Ordinal);
        var entryActions = new List<TableTransactionAction>();
        foreach (var entry in chunk)
        {
            var reference = entry.Reference ?? "";
            var (row, position) = positions.TryGetValue(reference, out var known) ? known
                : rows.GetValueOrDefault(PositionPrefix + reference) is { } stored ? (stored, ToPosition(reference, stored)) : (null, LedgerPosition.None(reference));
            var recorded = BudgetLedger.Recorded(position, entry);
            (balance, position) = BudgetLedger.Apply(balance, position, entry);
            if (entry.Reference is not null)
            {
                positions[reference] = (row, position);
            }

            entryActions.Add(EntryAction(partition, recorded));
        }

        var written = new List<TableEntity> { BalanceEntity(partition, balance) };
        var actions = new List<TableTransactionAction> { Write(written[0], balanceRow) };
        foreach (var (row, position) in positions.Values)
        {
            var entity = PositionEntity(partition, position);
            written.Add(entity);
            actions.Add(Write(entity, row));
        }

        actions.AddRange(entryActions);
        AzureTableLimits.CheckTransaction(actions);
        var response = await table.SubmitTransactionAsync(actions, cancellationToken);
        for (var i = 0; i < written.Count; i++)
        {
            written[i].ETag = response.Value[i].Headers.ETag ?? throw new InvalidOperationException("Table service returned no ETag.");
            rows[written[i].RowKey] = written[i];
        }

        foreach (var action in entryActions)
        {
            rows[action.Entity.RowKey] = (TableEntity)action.Entity;
        }
    }

    public async Task<LedgerBalance> BalanceAsync(string roundId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Ledgers, cancellationToken);
        return ToBalance(await FindAsync(table, PartitionFor(roundId), BalanceRow, cancellationToken));
    }

    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(string roundId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Ledgers, cancellationToken);
        var partition = PartitionFor(roundId);
        var entries = await table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {EntryPrefix} and RowKey lt {EntryPrefix + "~"}"), cancellationToken: cancellationToken)
            .Select(ToEntry)
            .ToListAsync(cancellationToken);
        return [.. entries.OrderBy(e => e.At).ThenBy(e => e.EntryId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every posting of a round writes the round's one balance row, so postings made at once collide and
    /// all but one read and try again; under a rush (thousands of awards at once) a posting could lose
    /// that race over and over. Postings from this instance therefore take turns per ledger, and only
    /// postings from other instances still meet on the ETag, which keeps the ceiling safe either way.
    /// </summary>
    private async Task<IDisposable> TurnAsync(string partition, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd(partition, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        return new EndOfTurn(turn);
    }

    private sealed class EndOfTurn(SemaphoreSlim turn) : IDisposable
    {
        public void Dispose() => turn.Release();
    }

    private static TableEntity BalanceEntity(string partition, LedgerBalance balance) => new(partition, BalanceRow)
    {
        ["Ceiling"] = balance.Ceiling,
        ["Reserved"] = balance.Reserved,
        ["Committed"] = balance.Committed,
        ["Released"] = balance.Released,
        ["Paid"] = balance.Paid,
    };

    private static TableEntity PositionEntity(string partition, LedgerPosition position) => new(partition, PositionPrefix + position.Reference)
    {
        ["Reserved"] = position.Reserved,
        ["Committed"] = position.Committed,
        ["Paid"] = position.Paid,
    };

    private static TableTransactionAction EntryAction(string partition, LedgerEntry entry) => new(TableTransactionActionType.Add, new TableEntity(partition, EntryPrefix + entry.EntryId)
    {
        ["Kind"] = entry.Kind,
        ["Reference"] = entry.Reference,
        ["Amount"] = entry.Amount,
        ["By"] = entry.By,
        ["At"] = entry.At,
        ["Reason"] = entry.Reason,
    });

    private static LedgerEntry ToEntry(TableEntity row) =>
        new(row.RowKey[EntryPrefix.Length..], row.GetString("Kind") ?? "", row.GetString("Reference"), row.GetInt64("Amount") ?? 0,
            row.GetString("By") ?? "", row.GetDateTimeOffset("At") ?? default, row.GetString("Reason"));

    private static LedgerPosition ToPosition(string reference, TableEntity row) =>
        new(reference, row.GetInt64("Reserved") ?? 0, row.GetInt64("Committed") ?? 0, row.GetInt64("Paid") ?? 0);

    private static TableTransactionAction Write(TableEntity entity, TableEntity? current) =>
        current is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, current.ETag);

    private static LedgerBalance ToBalance(TableEntity? row) => row is null
        ? LedgerBalance.Empty
        : new LedgerBalance(row.GetInt64("Ceiling") ?? 0, row.GetInt64("Reserved") ?? 0, row.GetInt64("Committed") ?? 0, row.GetInt64("Released") ?? 0, row.GetInt64("Paid") ?? 0);

    private static async Task<TableEntity?> FindAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }
}

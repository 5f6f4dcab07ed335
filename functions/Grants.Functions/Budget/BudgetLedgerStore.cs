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

    public static string PartitionFor(string roundId) => $"ledger-{roundId}";

    public async Task<LedgerPostingResult> PostAsync(string roundId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Ledgers, cancellationToken);
        var partition = PartitionFor(roundId);
        for (var attempt = 1; ; attempt++)
        {
            var balanceRow = await FindAsync(table, partition, BalanceRow, cancellationToken);
            if (await FindAsync(table, partition, EntryPrefix + entry.EntryId, cancellationToken) is { } posted)
            {
                if (posted.GetInt64("Amount") != entry.Amount || posted.GetString("Kind") != entry.Kind)
                {
                    throw new Domain.Common.InvalidTransitionException("ledger entry", $"posted as {posted.GetString("Kind")} {posted.GetInt64("Amount")}", $"post again as {entry.Kind} {entry.Amount} cents");
                }

                return new LedgerPostingResult(ToBalance(balanceRow), AlreadyPosted: true);
            }

            var positionRow = entry.Reference is null ? null : await FindAsync(table, partition, PositionPrefix + entry.Reference, cancellationToken);
            var position = positionRow is null ? LedgerPosition.None(entry.Reference ?? "") : new LedgerPosition(entry.Reference!, positionRow.GetInt64("Reserved") ?? 0, positionRow.GetInt64("Committed") ?? 0, positionRow.GetInt64("Paid") ?? 0);
            var (balance, newPosition) = BudgetLedger.Apply(ToBalance(balanceRow), position, entry);

            var actions = new List<TableTransactionAction>
            {
                Write(new TableEntity(partition, BalanceRow)
                {
                    ["Ceiling"] = balance.Ceiling,
                    ["Reserved"] = balance.Reserved,
                    ["Committed"] = balance.Committed,
                    ["Released"] = balance.Released,
                    ["Paid"] = balance.Paid,
                }, balanceRow),
                new(TableTransactionActionType.Add, new TableEntity(partition, EntryPrefix + entry.EntryId)
                {
                    ["Kind"] = entry.Kind,
                    ["Reference"] = entry.Reference,
                    ["Amount"] = entry.Amount,
                    ["By"] = entry.By,
                    ["At"] = entry.At,
                    ["Reason"] = entry.Reason,
                }),
            };
            if (entry.Reference is not null)
            {
                actions.Add(Write(new TableEntity(partition, PositionPrefix + entry.Reference)
                {
                    ["Reserved"] = newPosition.Reserved,
                    ["Committed"] = newPosition.Committed,
                    ["Paid"] = newPosition.Paid,
                }, positionRow));
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
            .Select(row => new LedgerEntry(row.RowKey[EntryPrefix.Length..], row.GetString("Kind") ?? "", row.GetString("Reference"), row.GetInt64("Amount") ?? 0,
                row.GetString("By") ?? "", row.GetDateTimeOffset("At") ?? default, row.GetString("Reason")))
            .ToListAsync(cancellationToken);
        return [.. entries.OrderBy(e => e.At).ThenBy(e => e.EntryId, StringComparer.Ordinal)];
    }

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

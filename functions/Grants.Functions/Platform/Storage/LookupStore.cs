using Azure.Data.Tables;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Point look-ups from a secondary key to the aggregate it belongs to (a voucher's code hash → the
/// voucher), one partition per key, so finding an aggregate by such a key reads one row instead of
/// filtering every state row in the aggregate table. A look-up is written before its aggregate and
/// never trusted alone: the caller reads the aggregate and checks the key against it, so a look-up
/// left behind by a failed or superseded write finds nothing.
/// </summary>
public sealed class LookupStore(StorageAccount storage)
{
    private const string Row = "target";

    /// <summary>Records (or records again: a retry is harmless) that <paramref name="key"/> of <paramref name="kind"/> names <paramref name="aggregateId"/>.</summary>
    public async Task PutAsync(string kind, string key, string aggregateId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Lookups, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(PartitionFor(kind, key), Row) { ["AggregateId"] = aggregateId }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<string?> FindAsync(string kind, string key, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Lookups, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionFor(kind, key), Row, select: ["AggregateId"], cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("AggregateId") : null;
    }

    private static string PartitionFor(string kind, string key) => $"{kind}|{key}";
}

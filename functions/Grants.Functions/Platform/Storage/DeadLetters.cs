using Azure;
using Azure.Data.Tables;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Mail and events parked as Failed after every retry, listed for operators without reading every aggregate
/// (docs/decisions/0018): each parked row has a pointer in its kind's partition of the operations table, written before
/// the row is marked Failed. The list reads that one partition and each row a pointer names: a row that is Failed is
/// listed; one delivered since, or gone, loses its pointer; one still pending (its Failed mark not yet written, or
/// being tried again) keeps it and is not listed.
/// </summary>
public sealed class DeadLetters(StorageAccount storage)
{
    public const string Mail = "mail";
    public const string Events = "events";

    public static string PartitionFor(string kind) => $"dead-letters-{kind}";

    /// <summary>Points at the row about to be parked; recording it again changes nothing.</summary>
    public async Task RecordAsync(string kind, string aggregateId, string rowKey, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(PartitionFor(kind), $"{aggregateId} {rowKey}") { ["AggregateId"] = aggregateId, ["Row"] = rowKey },
            TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The parked rows of the kind, in the order of their keys; pointers to rows that reached <paramref name="done"/> or are gone are removed.</summary>
    public async Task<IReadOnlyList<TableEntity>> ListAsync(string kind, string failed, string done, CancellationToken cancellationToken)
    {
        var pointers = await storage.TableAsync(TableNames.Operations, cancellationToken);
        var aggregates = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var listed = await pointers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionFor(kind)}"), cancellationToken: cancellationToken)
            .ToListAsync(cancellationToken);
        var parked = new System.Collections.Concurrent.ConcurrentBag<TableEntity>();
        await Fanout.ForEachAsync(listed, async (pointer, ct) =>
        {
            var row = await aggregates.GetEntityIfExistsAsync<TableEntity>(pointer.GetString("AggregateId"), pointer.GetString("Row"), cancellationToken: ct);
            var status = row.HasValue ? row.Value!.GetString("Status") : null;
            if (status == failed)
            {
                parked.Add(row.Value!);
            }
            else if (status is null || status == done)
            {
                try
                {
                    await pointers.DeleteEntityAsync(pointer.PartitionKey, pointer.RowKey, pointer.ETag, ct);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    // Removed by another listing, or recorded again since: the next listing looks again.
                }
            }
        }, cancellationToken);
        return [.. parked.OrderBy(r => r.PartitionKey, StringComparer.Ordinal).ThenBy(r => r.RowKey, StringComparer.Ordinal)];
    }
}

using Azure.Data.Tables;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// The members rows each aggregate's state row calls for (<see cref="Memberships"/>): one under each owner it names, as
/// its create wrote it, and one under a watched status it is in, as the commit that entered the status wrote it. Read
/// type by type, each type its range of keys, state rows only.
/// </summary>
public sealed class MembershipRepair(StorageAccount storage) : IIndexRepair
{
    public string Indexes => "the members of owners and of watched statuses";

    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var aggregates = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var members = await storage.TableAsync(TableNames.Members, cancellationToken);
        var ownerColumns = Memberships.Owners.ToDictionary(AggregateStore.IndexColumn, owner => owner, StringComparer.Ordinal);
        var written = 0;
        foreach (var type in AggregateStore.Types)
        {
            await foreach (var row in aggregates.QueryAsync<TableEntity>(
                AggregateStore.StateRows(type, AggregateStore.IdPrefixOf(type)),
                select: ["PartitionKey", "Status", .. ownerColumns.Keys], cancellationToken: cancellationToken))
            {
                var listed = ownerColumns
                    .Where(column => !string.IsNullOrEmpty(row.GetString(column.Key)))
                    .Select(column => Memberships.Partition(type, column.Value, row.GetString(column.Key)!))
                    .Append(Memberships.StatusPartition(type, row.GetString("Status") ?? ""))
                    .OfType<string>();
                foreach (var partition in listed)
                {
                    if (await IndexRows.InsertIfMissingAsync(members, new TableEntity(partition, row.PartitionKey), cancellationToken))
                    {
                        written++;
                    }
                }
            }
        }

        return written;
    }
}

using Azure.Data.Tables;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Azure Table Storage's limits, checked before every write because Azurite accepts more
/// (docs/design.md §2.9): a transaction has at most 100 operations in one partition; an entity is at
/// most 1 MiB with at most 252 properties; a string or binary property at most 64 KiB.
/// Sizes follow the service's documented estimate (UTF-16 strings, 8-byte numbers).
/// </summary>
public static class AzureTableLimits
{
    public const int MaxTransactionActions = 100;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxPropertyBytes = 64 * 1024;
    public const int MaxCustomProperties = 252;

    public static void CheckTransaction(IReadOnlyList<TableTransactionAction> actions)
    {
        if (actions.Count > MaxTransactionActions)
        {
            throw new StorageLimitExceededException($"A transaction may hold at most {MaxTransactionActions} operations; this one has {actions.Count}.");
        }

        var partitions = actions.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count();
        if (partitions > 1)
        {
            throw new StorageLimitExceededException($"A transaction must stay in one partition; this one spans {partitions}.");
        }

        foreach (var action in actions)
        {
            CheckEntity(action.Entity);
        }
    }

    public static void CheckEntity(ITableEntity entity)
    {
        if (entity is not TableEntity table)
        {
            return;
        }

        long total = 4 + (2 * (entity.PartitionKey.Length + entity.RowKey.Length));
        var custom = 0;
        foreach (var (name, value) in table)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")
            {
                continue;
            }

            custom++;
            var bytes = value switch
            {
                string s => (long)s.Length * 2,
                byte[] b => b.Length,
                BinaryData d => d.ToMemory().Length,
                null => 0,
                _ => 8,
            };
            if (bytes > MaxPropertyBytes)
            {
                throw new StorageLimitExceededException($"Property '{name}' would be {bytes} bytes; Azure Tables allows {MaxPropertyBytes}.");
            }

            total += 8 + (2 * name.Length) + bytes;
        }

        if (custom > MaxCustomProperties)
        {
            throw new StorageLimitExceededException($"An entity may have at most {MaxCustomProperties} properties; this one has {custom}.");
        }

        if (total > MaxEntityBytes)
        {
            throw new StorageLimitExceededException($"The entity would be {total} bytes; Azure Tables allows {MaxEntityBytes}.");
        }
    }
}

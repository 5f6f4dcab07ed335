namespace Grants.Functions.Platform.Storage;

/// <summary>Another command changed the aggregate since it was loaded (ETag mismatch).</summary>
public sealed class ConcurrencyConflictException(string aggregateId)
    : Exception($"Aggregate '{aggregateId}' was changed by someone else.")
{
    public string AggregateId { get; } = aggregateId;
}

/// <summary>A create found the aggregate already there, written by another command.</summary>
public sealed class AggregateExistsException(string aggregateId)
    : Exception($"Aggregate '{aggregateId}' already exists.")
{
    public string AggregateId { get; } = aggregateId;
}

/// <summary>A write would break a limit that Azure Table Storage enforces (Azurite does not).</summary>
public sealed class StorageLimitExceededException(string message) : Exception(message);

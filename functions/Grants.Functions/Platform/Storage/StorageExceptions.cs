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

/// <summary>An Idempotency-Key already created the aggregate with a different request: the key was used again for something else.</summary>
public sealed class IdempotencyKeyReusedException(string aggregateId)
    : Exception($"The Idempotency-Key already created '{aggregateId}' with a different request.")
{
    public string AggregateId { get; } = aggregateId;
}

/// <summary>A write would break a limit that Azure Table Storage enforces (Azurite does not).</summary>
public sealed class StorageLimitExceededException(string message) : Exception(message);

/// <summary>Which storage failures are worth a retry (and are answered 503, not 500).</summary>
public static class StorageExceptions
{
    /// <summary>
    /// A failed or unreachable storage call: a service error (5xx, 408, 429), a dropped connection, a
    /// timeout — also when the SDK gave up after its retries and reports every attempt's failure
    /// together. A 4xx answer is not: it says something about the request, and retrying will not help.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        Azure.RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        HttpRequestException or IOException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => false,
    };
}

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// The Idempotency-Key operation the current request carries out (see
/// <c>IdempotentRequests.OperationId</c>), flowing with the async call. Every state row a command
/// writes records it, so that a retry of the same operation — after a response was lost or a
/// reservation taken over — recognises its own earlier write instead of answering "already exists"
/// or "not possible in the current state".
/// </summary>
public static class RequestOperation
{
    private static readonly AsyncLocal<(string Id, DateTimeOffset StartedAt, string? Fingerprint)?> Current = new();

    public static string? Id => Current.Value?.Id;

    /// <summary>When the operation's first attempt reserved its key: writes before that are not its own, whatever they are tagged.</summary>
    public static DateTimeOffset? StartedAt => Current.Value?.StartedAt;

    /// <summary>
    /// Set when the operation's create carries the Idempotency-Key itself, with no reservation (see
    /// <c>RequestGate.RunCreateAsync</c>): the hash of what was asked, recorded with the aggregate's
    /// first audit event so that a retry is told from another request under the same key.
    /// </summary>
    public static string? Fingerprint => Current.Value?.Fingerprint;

    /// <summary>Marks the work done until the returned scope is disposed as part of <paramref name="operationId"/>.</summary>
    public static IDisposable Begin(string operationId, DateTimeOffset startedAt) => Enter((operationId, startedAt, null));

    /// <summary>As <see cref="Begin"/> for an operation that creates one aggregate and has no reservation: its create records <paramref name="fingerprint"/>.</summary>
    public static IDisposable BeginCreate(string operationId, string fingerprint) => Enter((operationId, DateTimeOffset.MinValue, fingerprint));

    private static Scope Enter((string, DateTimeOffset, string?) operation)
    {
        var previous = Current.Value;
        Current.Value = operation;
        return new Scope(previous);
    }

    private sealed class Scope((string, DateTimeOffset, string?)? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

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
    private static readonly AsyncLocal<(string Id, DateTimeOffset StartedAt)?> Current = new();

    public static string? Id => Current.Value?.Id;

    /// <summary>When the operation's first attempt reserved its key: writes before that are not its own, whatever they are tagged.</summary>
    public static DateTimeOffset? StartedAt => Current.Value?.StartedAt;

    /// <summary>Marks the work done until the returned scope is disposed as part of <paramref name="operationId"/>.</summary>
    public static IDisposable Begin(string operationId, DateTimeOffset startedAt)
    {
        var previous = Current.Value;
        Current.Value = (operationId, startedAt);
        return new Scope(previous);
    }

    private sealed class Scope((string, DateTimeOffset)? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

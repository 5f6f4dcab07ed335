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
    private static readonly AsyncLocal<string?> Current = new();

    public static string? Id => Current.Value;

    /// <summary>Marks the work done until the returned scope is disposed as part of <paramref name="operationId"/>.</summary>
    public static IDisposable Begin(string operationId)
    {
        var previous = Current.Value;
        Current.Value = operationId;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

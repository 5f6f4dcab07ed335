namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Work on many aggregates at once where each lives in its own partition (entering a pool, publishing
/// draw outcomes, scheduling surveys): a bounded number of storage round trips in flight instead of
/// one after another, so a round of thousands of applicants is handled in seconds rather than minutes.
/// The first failure stops the rest and is rethrown; every step is safe to repeat, so the caller's
/// retry finishes the work.
/// </summary>
public static class Fanout
{
    /// <summary>Round trips in flight: well below the storage account's per-partition and per-account limits.</summary>
    public const int Width = 16;

    public static Task ForEachAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Width, CancellationToken = cancellationToken },
            async (item, ct) => await work(item, ct));
}

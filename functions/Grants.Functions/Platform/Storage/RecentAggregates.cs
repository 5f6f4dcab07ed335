using System.Collections.Concurrent;
using System.Diagnostics;
using Grants.Functions.Platform.Http;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Copies of aggregates that a hot path reads far more often than they change — a round that
/// thousands of organisations apply to, an organisation starting its application — kept in this
/// process for <see cref="ApiOptions.RecentReadLifetime"/> so that a rush does not read them from
/// storage on every request. Requests that miss at the same moment share one read. A write through
/// this process's <see cref="AggregateStore"/> drops the copy at once; a write by another instance
/// is seen at most one lifetime late. Only reads that may be that late use it: nothing that guards
/// an invariant does (those read storage and commit under the ETag).
/// </summary>
public sealed class RecentAggregates
{
    private readonly AggregateStore store;
    private readonly long lifetimeTicks;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private long lastPrune = Stopwatch.GetTimestamp();

    public RecentAggregates(AggregateStore store, IOptions<ApiOptions> options)
    {
        this.store = store;
        lifetimeTicks = (long)(options.Value.RecentReadLifetime.TotalSeconds * Stopwatch.Frequency);
        if (lifetimeTicks > 0)
        {
            // A new entry, not a removal: a read that began before the write then finds its slot taken and keeps nothing.
            store.Committed += id =>
            {
                entries[id] = new Entry(read: null, Stopwatch.GetTimestamp());
                PruneNow();
            };
        }
    }

    public async Task<StoredAggregate<TState>?> FindAsync<TState>(string id, CancellationToken cancellationToken)
    {
        if (lifetimeTicks <= 0)
        {
            return await store.FindAsync<TState>(id, cancellationToken);
        }

        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            entries.TryGetValue(id, out var current);
            if (current?.Read is { } shared && now - current.ReadAt < lifetimeTicks)
            {
                return await shared.Task.WaitAsync(cancellationToken) switch
                {
                    StoredAggregate<TState> copy => copy,
                    null => null,
                    _ => await store.FindAsync<TState>(id, cancellationToken), // kept as another type: read it as this one
                };
            }

            var mine = new Entry(new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously), now);
            if (current is null ? !entries.TryAdd(id, mine) : !entries.TryUpdate(id, mine, current))
            {
                continue; // someone else started a read or wrote meanwhile: look again
            }

            PruneNow();
            try
            {
                // Not the caller's token: other requests may be waiting for this read.
                var found = await store.FindAsync<TState>(id, CancellationToken.None);
                mine.Read!.SetResult(found);
                if (found is null)
                {
                    entries.TryRemove(new KeyValuePair<string, Entry>(id, mine)); // it may be created any moment
                }

                return found;
            }
            catch (Exception e)
            {
                entries.TryRemove(new KeyValuePair<string, Entry>(id, mine));
                mine.Read!.SetException(e);
                throw;
            }
        }
    }

    /// <summary>Once a lifetime, forgets what is older than that (a read that began before a forgotten write is then too old to keep).</summary>
    private void PruneNow()
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref lastPrune);
        if (now - last < lifetimeTicks || Interlocked.CompareExchange(ref lastPrune, now, last) != last)
        {
            return;
        }

        foreach (var (id, entry) in entries)
        {
            if (now - entry.ReadAt >= lifetimeTicks)
            {
                entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            }
        }
    }

    /// <summary>A read (possibly still in flight) or, without one, a write's mark. Compared by reference.</summary>
    private sealed class Entry(TaskCompletionSource<object?>? read, long readAt)
    {
        public TaskCompletionSource<object?>? Read { get; } = read;

        public long ReadAt { get; } = readAt;
    }
}

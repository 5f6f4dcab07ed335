using System.Collections.Concurrent;
using System.Diagnostics;
using Grants.Functions.Platform.Http;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Copies of aggregates that a hot path reads far more often than they change — a round that
/// thousands of organisations apply to, an organisation starting its application — kept in this
/// process for <see cref="ApiOptions.RecentReadLifetime"/> so that a rush does not read them from
/// storage on every request. A write through this process's <see cref="AggregateStore"/> drops the
/// copy at once; a write by another instance is seen at most one lifetime late. Only reads that may
/// be that late use it: nothing that guards an invariant does (those read storage and commit under
/// the ETag).
/// </summary>
public sealed class RecentAggregates
{
    private const int PruneAbove = 20_000;

    private readonly AggregateStore store;
    private readonly long lifetimeTicks;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public RecentAggregates(AggregateStore store, IOptions<ApiOptions> options)
    {
        this.store = store;
        lifetimeTicks = (long)(options.Value.RecentReadLifetime.TotalSeconds * Stopwatch.Frequency);
        store.Committed += id => entries[id] = Entry.Dropped;
    }

    public async Task<StoredAggregate<TState>?> FindAsync<TState>(string id, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        entries.TryGetValue(id, out var before);
        if (before?.Aggregate is StoredAggregate<TState> copy && now - before.ReadAt < lifetimeTicks)
        {
            return copy;
        }

        var found = await store.FindAsync<TState>(id, cancellationToken);
        if (found is not null && lifetimeTicks > 0)
        {
            // Kept only if nothing was written meanwhile: a copy read before a write must not outlive it.
            var entry = new Entry(found, now);
            if (before is null ? entries.TryAdd(id, entry) : entries.TryUpdate(id, entry, before))
            {
                PruneIfLarge(now);
            }
        }

        return found;
    }

    private void PruneIfLarge(long now)
    {
        if (entries.Count <= PruneAbove)
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

    /// <summary>Compared by reference: each write leaves a new one, so a read that began before it cannot replace it.</summary>
    private sealed class Entry(object? aggregate, long readAt)
    {
        public static Entry Dropped => new(null, 0);

        public object? Aggregate { get; } = aggregate;

        public long ReadAt { get; } = readAt;
    }
}

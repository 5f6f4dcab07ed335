using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Grants.Benchmarks;

/// <summary>
/// Counts the product's storage calls by kind (verb and table, e.g. <c>GET aggregates(…)</c> for a
/// point read) and the time spent waiting on them. It sits in the product's own pipeline once per
/// attempt, registered through <c>StorageClientOptions</c>, so it sees every request that goes out.
/// </summary>
public sealed class StorageCallCounter : HttpPipelinePolicy
{
    private static readonly AsyncLocal<bool> NotCounted = new();
    private readonly ConcurrentDictionary<string, (long Calls, long Ticks)> _byKind = new(StringComparer.Ordinal);
    private static readonly long Origin = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<SlowCall> _slow = new();
    private long _calls;
    private long _waitedTicks;

    /// <summary>A call that took at least <see cref="SlowAfter"/>, counted or not (the relays'), timed from the counter's start.</summary>
    public sealed record SlowCall(TimeSpan StartedAt, TimeSpan Took, string Kind, bool Counted);

    /// <summary>How long a call takes before it is kept as slow.</summary>
    public static readonly TimeSpan SlowAfter = TimeSpan.FromMilliseconds(100);

    /// <summary>Slow calls kept at most between two <see cref="ClearSlow"/>s: a busy step makes many, and only a request's are looked at.</summary>
    private const int MaxSlow = 100_000;

    /// <summary>The clock slow calls are timed on.</summary>
    public static TimeSpan Now => Stopwatch.GetElapsedTime(Origin);

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>The calls' durations added up: with calls in flight at once, more than the wall-clock time.</summary>
    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    public IReadOnlyList<KeyValuePair<string, long>> ByKind => [.. _byKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => KeyValuePair.Create(k.Key, k.Value.Calls))];

    /// <summary>Each kind's calls and how long one took on average, in flight beside the others.</summary>
    public IReadOnlyList<(string Kind, long Calls, TimeSpan Mean)> MeanByKind =>
        [.. _byKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.Calls, TimeSpan.FromTicks(k.Value.Ticks / Math.Max(k.Value.Calls, 1))))];

    /// <summary>Calls made from here on in this asynchronous flow (and what it starts) are not counted, until disposed.</summary>
    public IDisposable Uncounted()
    {
        NotCounted.Value = true;
        return new Restore();
    }

    public void ClearSlow() => _slow.Clear();

    /// <summary>The slow calls under way at some moment from <paramref name="from"/> to <paramref name="to"/>, the slowest first.</summary>
    public IReadOnlyList<SlowCall> SlowDuring(TimeSpan from, TimeSpan to) =>
        [.. _slow.Where(c => c.StartedAt < to && c.StartedAt + c.Took > from).OrderByDescending(c => c.Took)];

    public void Reset()
    {
        _byKind.Clear();
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _waitedTicks, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Count(message.Request, started);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Count(message.Request, started);
        }
    }

    private void Count(Request request, long started)
    {
        var took = Stopwatch.GetElapsedTime(started);
        if (took >= SlowAfter && _slow.Count < MaxSlow)
        {
            _slow.Enqueue(new SlowCall(Stopwatch.GetElapsedTime(Origin, started), took, Kind(request), !NotCounted.Value));
        }

        if (NotCounted.Value)
        {
            return;
        }

        Interlocked.Add(ref _waitedTicks, took.Ticks);
        Interlocked.Increment(ref _calls);
        _byKind.AddOrUpdate(Kind(request), (1, took.Ticks), (_, sum) => (sum.Calls + 1, sum.Ticks + took.Ticks));
    }

    /// <summary>
    /// The verb and the resource, with keys cut to the aggregate's kind: <c>POST idempotency</c>
    /// (insert), <c>GET aggregates(round-…)</c> (point read of a round), <c>POST $batch operations</c> (entity
    /// group transaction, by the table it writes). Azurite addresses name the account first: /devstoreaccount1/{table or container}/….
    /// </summary>
    private static string Kind(Request request)
    {
        if (request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal))
        {
            return $"POST $batch {BatchTable(request)}";
        }

        var segments = Uri.UnescapeDataString(request.Uri.Path).Trim('/').Split('/');
        var resource = segments.Length > 1 ? segments[1] : segments[0];
        var keys = resource.IndexOf('(', StringComparison.Ordinal);
        if (keys >= 0)
        {
            resource = resource[..keys] + (resource.EndsWith("()", StringComparison.Ordinal) ? "()" : $"({PartitionKind(resource[keys..])}…)");
        }

        return $"{request.Method.Method} {resource}{(segments.Length > 2 ? "/…" : "")}";
    }

    /// <summary>The table a transaction writes: the first one its changes name (<c>PUT http://…/devstoreaccount1/operations(…) HTTP/1.1</c>).</summary>
    private static string BatchTable(Request request)
    {
        if (request.Content is null)
        {
            return "";
        }

        using var body = new MemoryStream();
        request.Content.WriteTo(body, CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
        var change = System.Text.RegularExpressions.Regex.Match(text, @"^(?:PUT|PATCH|POST|DELETE|MERGE) \S*?/([A-Za-z0-9]+)[(?\s]", System.Text.RegularExpressions.RegexOptions.Multiline);
        return change.Success ? change.Groups[1].Value : "";
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => NotCounted.Value = false;
    }

    /// <summary>"round-" of <c>(PartitionKey='round-…',RowKey='state')</c>; empty for keys without a kind (hashes).</summary>
    private static string PartitionKind(string keys)
    {
        const string start = "PartitionKey='";
        var at = keys.IndexOf(start, StringComparison.Ordinal);
        var dash = at < 0 ? -1 : keys.IndexOf('-', at + start.Length);
        var end = at < 0 ? -1 : keys.IndexOf('\'', at + start.Length);
        return dash >= 0 && dash < end ? keys[(at + start.Length)..(dash + 1)] : "";
    }
}

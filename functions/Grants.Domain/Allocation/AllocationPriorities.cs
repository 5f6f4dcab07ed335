using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grants.Domain.Lottery;

namespace Grants.Domain.Allocation;

/// <summary>
/// What a method orders the pool by, as published at the freeze and in the protocol (docs/allocation.md): each pool id's
/// moment of completion (first come, first served) or committee score (tender, partial randomisation), in one exact form
/// so that an outsider hashes the same bytes. The canonical form is a JSON array sorted by id (ordinal), each element
/// exactly <c>{"id":…,"completedAt":"yyyy-MM-ddTHH:mm:ss.fffZ"}</c> or <c>{"id":…,"score":7.250}</c> (three decimals), no
/// whitespace; its SHA-256 is announced with the pool, before any seed is revealed.
/// </summary>
public static class AllocationPriorities
{
    public const string MomentFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The moment as published: UTC, to the millisecond (what the order compares is what a reader sees).</summary>
    public static DateTimeOffset Published(DateTimeOffset moment) =>
        new(moment.UtcTicks - (moment.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <summary>Whether the method orders by something published with the pool; the lottery orders by nothing but the draw.</summary>
    public static bool Needed(string? method) => method is AllocationMethod.FirstComeFirstServedByDay or AllocationMethod.RankedTender or AllocationMethod.PartialRandomisation;

    /// <summary>The priorities of <paramref name="pool"/> under <paramref name="method"/>, sorted by id.</summary>
    public static IReadOnlyList<ProtocolPriority> Of(string method, IEnumerable<Candidate> pool) =>
        [.. pool.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => method == AllocationMethod.FirstComeFirstServedByDay
            ? new ProtocolPriority(c.Id, CompletedAt: Published(c.Completed).ToString(MomentFormat, CultureInfo.InvariantCulture))
            : new ProtocolPriority(c.Id, Score: Math.Round(c.Scored, 3, MidpointRounding.AwayFromZero)))];

    public static string CanonicalJson(IReadOnlyList<ProtocolPriority> priorities)
    {
        var builder = new StringBuilder("[");
        foreach (var (priority, i) in priorities.Select((p, i) => (p, i)))
        {
            builder.Append(i == 0 ? "" : ",").Append("{\"id\":\"").Append(priority.Id).Append('"');
            if (priority.CompletedAt is { } completed)
            {
                builder.Append(",\"completedAt\":\"").Append(completed).Append('"');
            }

            if (priority.Score is { } score)
            {
                builder.Append(",\"score\":").Append(score.ToString("0.000", CultureInfo.InvariantCulture));
            }

            builder.Append('}');
        }

        return builder.Append(']').ToString();
    }

    public static string Hash(IReadOnlyList<ProtocolPriority> priorities) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(priorities))));

    /// <summary>
    /// The pool as the method sees it, read back from what was published: every pool id has exactly one priority, in pool
    /// order, of the method's kind and exact form. Throws <see cref="ArgumentException"/> naming the first that does not.
    /// </summary>
    public static IReadOnlyList<Candidate> Candidates(string method, IReadOnlyList<ProtocolPoolEntry> pool, IReadOnlyList<ProtocolPriority>? priorities)
    {
        if (priorities is null || priorities.Count != pool.Count)
        {
            throw new ArgumentException($"priorities: {priorities?.Count ?? 0} for a pool of {pool.Count}; {method} needs one for every pool id");
        }

        var candidates = new List<Candidate>(pool.Count);
        for (var i = 0; i < pool.Count; i++)
        {
            var (entry, priority) = (pool[i], priorities[i]);
            if (priority.Id != entry.Id)
            {
                throw new ArgumentException($"priorities[{i}]: {priority.Id} where the pool has {entry.Id}; priorities follow the pool's order");
            }

            if (method == AllocationMethod.FirstComeFirstServedByDay)
            {
                if (priority.Score is not null || priority.CompletedAt is null
                    || !DateTimeOffset.TryParseExact(priority.CompletedAt, MomentFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var completed))
                {
                    throw new ArgumentException($"priorities[{i}]: {method} needs completedAt in the form {MomentFormat} and no score");
                }

                candidates.Add(new Candidate(entry.Id, entry.Stratum, entry.Amount, CompletedAt: completed));
            }
            else
            {
                if (priority.CompletedAt is not null || priority.Score is not { } score || score != Math.Round(score, 3))
                {
                    throw new ArgumentException($"priorities[{i}]: {method} needs a score with at most three decimals and no completedAt");
                }

                candidates.Add(new Candidate(entry.Id, entry.Stratum, entry.Amount, Score: score));
            }
        }

        return candidates;
    }
}

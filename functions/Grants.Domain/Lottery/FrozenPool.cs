namespace Grants.Domain.Lottery;

/// <summary>
/// A round's frozen pool (docs/design.md §4): the eligible applications with stratum, amount and baseline
/// covariates, their canonical form and its hash, which the round records and the protocol publishes. It is
/// stored once, named by that hash, and everything after the freeze — the draw, the balance check, the
/// follow-up, the evaluation — reads it back. Its members, in this order, are the stored document's fields:
/// adding one changes what a pool stored from now on looks like.
/// </summary>
public sealed record FrozenPool(string RoundId, DateTimeOffset FrozenAt, string PoolHash, string Canonical, IReadOnlyList<FrozenPoolEntry> Entries)
{
    /// <summary>Freezes <paramref name="entries"/>, each linked to its application: canonical form, hash, and the entries in pseudonym order.</summary>
    public static FrozenPool Of(string roundId, DateTimeOffset frozenAt, IEnumerable<PoolEntry> entries)
    {
        var ordered = entries.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var canonical = LotteryPool.CanonicalJson(ordered);
        return new FrozenPool(roundId, frozenAt, LotteryPool.Hash(canonical), canonical,
            [.. ordered.Select(e => new FrozenPoolEntry(e.Id, e.ApplicationId ?? throw new ArgumentException($"Pool entry {e.Id} names no application.", nameof(entries)),
                e.Stratum, e.Amount, e.Sector, e.SizeClass, e.IsPublic, e.SubmittedAt, e.CompletedAt, e.Score))]);
    }
}

/// <summary>One application in a frozen pool: <see cref="Id"/> is its published pseudonym, <see cref="ApplicationId"/> links it back (kept by the ministry).</summary>
/// <param name="CompletedAt">When the application was complete, kept where the round's method orders by it (first come, first served); not written otherwise.</param>
/// <param name="Score">The committee's published score, kept where the round's method ranks by it; not written otherwise.</param>
public sealed record FrozenPoolEntry(
    string Id, string ApplicationId, string Stratum, long Amount, string Sector, string SizeClass, bool IsPublic, DateTimeOffset SubmittedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CompletedAt = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] decimal? Score = null)
{
    public Grants.Domain.Allocation.Candidate ToCandidate() => new(Id, Stratum, Amount, CompletedAt, Score);
}

using System.Security.Cryptography;
using System.Text;

namespace Grants.Domain.Lottery;

/// <summary>One pool member as the draw sees it: pseudonymous id, stratum, requested amount in euro cents.</summary>
public sealed record DrawEntry(string Id, string Stratum, long Amount);

/// <summary>A pool member in the drawn order: its HMAC score (lowercase hex) and its rank within its stratum, from 1.</summary>
public sealed record RankedEntry(string Id, string Stratum, long Amount, string Score, int Rank);

public sealed record StratumBudget(string Stratum, long Budget);

/// <summary>
/// How the drawn order turns into selections (docs/design.md §4): rule <c>skip</c> (a request that does not
/// fit is passed over and filling continues) or <c>stop</c> (filling stops at the first that does not
/// fit); one budget for the whole pool, or one per stratum.
/// </summary>
public sealed record LotteryDesign(string Rule, long? Budget, IReadOnlyList<StratumBudget>? Strata)
{
    public const string Skip = "skip";
    public const string Stop = "stop";

    public long BudgetOf(string stratum) =>
        Strata is null ? Budget ?? throw new InvalidOperationException("The design has no budget.")
        : Strata.FirstOrDefault(s => s.Stratum == stratum)?.Budget ?? throw new InvalidOperationException($"The design has no budget for stratum '{stratum}'.");
}

/// <summary>Who was selected, and the reserve list: everyone else, in drawn order, stratum by stratum.</summary>
public sealed record Allocation(IReadOnlyList<string> Selected, IReadOnlyList<string> Reserve);

/// <summary>
/// The draw of docs/design.md §4, exactly: draw key from the revealed seeds and the pool hash, an
/// HMAC-SHA256 score per pool member, order by score within each stratum, then fill each stratum's
/// budget in that order. A pure function of published inputs; <see cref="System.Random"/> is never used.
/// </summary>
public static class LotteryDraw
{
    /// <summary>SHA-256 of seed₁ ‖ seed₂ ‖ … (raw bytes, commitment order) ‖ the 32 raw bytes of the pool hash.</summary>
    public static byte[] DrawKey(IReadOnlyList<byte[]> seeds, string poolHashHex)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var seed in seeds)
        {
            hash.AppendData(seed);
        }

        hash.AppendData(Convert.FromHexString(poolHashHex));
        return hash.GetHashAndReset();
    }

    /// <summary>SHA-256 of the seed, lowercase hex: what a party publishes before the round closes.</summary>
    public static string Commitment(byte[] seed) => Convert.ToHexStringLower(SHA256.HashData(seed));

    /// <summary>The UTF-8 message "{roundId}|{stratum}|{id}" whose HMAC is a member's score.</summary>
    public static byte[] ScoreMessage(string roundId, string stratum, string id) => Encoding.UTF8.GetBytes($"{roundId}|{stratum}|{id}");

    public static byte[] Score(byte[] drawKey, string roundId, string stratum, string id) =>
        HMACSHA256.HashData(drawKey, ScoreMessage(roundId, stratum, id));

    /// <summary>
    /// The drawn order: strata in ordinal order; within each, scores ascending as unsigned bytes,
    /// ties by id (ordinal); ranks from 1 per stratum.
    /// </summary>
    public static IReadOnlyList<RankedEntry> Order(byte[] drawKey, string roundId, IEnumerable<DrawEntry> pool)
    {
        var ranked = new List<RankedEntry>();
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, drawKey);
        foreach (var stratum in pool.GroupBy(e => e.Stratum).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var scored = stratum.Select(e =>
            {
                hmac.AppendData(ScoreMessage(roundId, e.Stratum, e.Id));
                return (Entry: e, Score: hmac.GetHashAndReset());
            }).ToList();
            scored.Sort((a, b) =>
            {
                var byScore = a.Score.AsSpan().SequenceCompareTo(b.Score);
                return byScore != 0 ? byScore : string.CompareOrdinal(a.Entry.Id, b.Entry.Id);
            });
            ranked.AddRange(scored.Select((s, i) => new RankedEntry(s.Entry.Id, s.Entry.Stratum, s.Entry.Amount, Convert.ToHexStringLower(s.Score), i + 1)));
        }

        return ranked;
    }

    /// <summary>Fills each stratum's budget in drawn order under the design's rule.</summary>
    public static Allocation Allocate(IReadOnlyList<RankedEntry> order, LotteryDesign design)
    {
        var selected = new List<string>();
        var reserve = new List<string>();
        foreach (var stratum in order.GroupBy(e => e.Stratum).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var inOrder = stratum.OrderBy(e => e.Rank).ToList();
            var chosen = Fill(inOrder.Select(e => e.Amount).ToArray(), design.BudgetOf(stratum.Key), design.Rule);
            for (var i = 0; i < inOrder.Count; i++)
            {
                (chosen[i] ? selected : reserve).Add(inOrder[i].Id);
            }
        }

        return new Allocation(selected, reserve);
    }

    /// <summary>Which of the amounts, taken in this order, are selected within the budget.</summary>
    public static bool[] Fill(ReadOnlySpan<long> amountsInOrder, long budget, string rule)
    {
        var chosen = new bool[amountsInOrder.Length];
        var remaining = budget;
        for (var i = 0; i < amountsInOrder.Length; i++)
        {
            if (amountsInOrder[i] <= remaining)
            {
                chosen[i] = true;
                remaining -= amountsInOrder[i];
            }
            else if (rule == LotteryDesign.Stop)
            {
                break;
            }
        }

        return chosen;
    }

    /// <summary>True when every request of the stratum fits its budget: everyone is selected and the draw decides nothing.</summary>
    public static bool FitsBudget(IEnumerable<DrawEntry> stratum, long budget) => stratum.Sum(e => e.Amount) <= budget;
}

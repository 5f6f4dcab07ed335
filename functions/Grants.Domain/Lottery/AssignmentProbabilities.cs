using System.Security.Cryptography;
using System.Text;

namespace Grants.Domain.Lottery;

/// <summary>A pool member's probability of being selected under the design, with its standard error and how it was computed.</summary>
public sealed record AssignmentProbability(string Id, double P, double Se, string Method);

/// <summary>
/// Each pool member's probability of selection (docs/design.md §4), over the draw's randomness (a uniformly
/// random order within each stratum). Exact where possible — everyone fits the budget, all requests
/// equal (closed form), or a small stratum enumerated over every order — otherwise Monte Carlo,
/// re-running the same allocation code with derived keys SHA-256(draw key ‖ "sim" ‖ k), k = 1…K.
/// </summary>
public static class AssignmentProbabilities
{
    public const string FitsBudget = "exact:fits-budget";
    public const string EqualAmounts = "exact:equal-amounts";
    public const string Enumeration = "exact:enumeration";
    public const string MonteCarlo = "monte-carlo";

    /// <summary>Strata up to this size are enumerated over all n! orders.</summary>
    public const int MaxEnumerated = 8;

    public const int DefaultSimulations = 10_000;

    public static IReadOnlyList<AssignmentProbability> Compute(string roundId, IReadOnlyList<DrawEntry> pool, LotteryDesign design, byte[] drawKey, int simulations = DefaultSimulations)
    {
        var result = new List<AssignmentProbability>();
        foreach (var stratum in pool.GroupBy(e => e.Stratum).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = stratum.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
            var budget = design.BudgetOf(stratum.Key);
            if (LotteryDraw.FitsBudget(members, budget))
            {
                result.AddRange(members.Select(m => new AssignmentProbability(m.Id, 1, 0, FitsBudget)));
            }
            else if (members.All(m => m.Amount == members[0].Amount))
            {
                var p = Math.Min(1.0, budget / members[0].Amount / (double)members.Count);
                result.AddRange(members.Select(m => new AssignmentProbability(m.Id, p, 0, EqualAmounts)));
            }
            else if (members.Count <= MaxEnumerated)
            {
                result.AddRange(Enumerate(members, budget, design.Rule));
            }
            else
            {
                result.AddRange(Simulate(roundId, members, budget, design.Rule, drawKey, simulations));
            }
        }

        return result;
    }

    /// <summary>The key of simulation k: SHA-256(draw key ‖ UTF-8 "sim" ‖ UTF-8 decimal k).</summary>
    public static byte[] SimulationKey(byte[] drawKey, int k)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(drawKey);
        hash.AppendData(Encoding.UTF8.GetBytes("sim"));
        hash.AppendData(Encoding.UTF8.GetBytes(k.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return hash.GetHashAndReset();
    }

    private static IEnumerable<AssignmentProbability> Enumerate(IReadOnlyList<DrawEntry> members, long budget, string rule)
    {
        var n = members.Count;
        var counts = new long[n];
        long orders = 0;
        var permutation = Enumerable.Range(0, n).ToArray();
        var amounts = new long[n];
        foreach (var order in Permutations(permutation))
        {
            for (var i = 0; i < n; i++)
            {
                amounts[i] = members[order[i]].Amount;
            }

            var chosen = LotteryDraw.Fill(amounts, budget, rule);
            for (var i = 0; i < n; i++)
            {
                if (chosen[i])
                {
                    counts[order[i]]++;
                }
            }

            orders++;
        }

        return members.Select((m, i) => new AssignmentProbability(m.Id, counts[i] / (double)orders, 0, Enumeration));
    }

    /// <summary>Every ordering of the indices (Heap's algorithm), yielded in place.</summary>
    private static IEnumerable<int[]> Permutations(int[] items)
    {
        var c = new int[items.Length];
        yield return items;
        var i = 0;
        while (i < items.Length)
        {
            if (c[i] < i)
            {
                var j = i % 2 == 0 ? 0 : c[i];
                (items[j], items[i]) = (items[i], items[j]);
                yield return items;
                c[i]++;
                i = 0;
            }
            else
            {
                c[i] = 0;
                i++;
            }
        }
    }

    private static IEnumerable<AssignmentProbability> Simulate(string roundId, IReadOnlyList<DrawEntry> members, long budget, string rule, byte[] drawKey, int simulations)
    {
        var n = members.Count;
        var messages = members.Select(m => LotteryDraw.ScoreMessage(roundId, m.Stratum, m.Id)).ToArray();
        var ids = members.Select(m => m.Id).ToArray();
        var totals = new long[n];
        var gate = new object();

        Parallel.For(1, simulations + 1, () => new SimulationBuffers(n), (k, _, buffers) =>
        {
            // One keyed HMAC per simulation, reset per message: the key schedule is computed once, not n times.
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, SimulationKey(drawKey, k));
            for (var i = 0; i < n; i++)
            {
                hmac.AppendData(messages[i]);
                hmac.GetHashAndReset(buffers.Scores.AsSpan(i * 32, 32));
                buffers.Order[i] = i;
            }

            var scores = buffers.Scores;
            Array.Sort(buffers.Order, (a, b) =>
            {
                var byScore = scores.AsSpan(a * 32, 32).SequenceCompareTo(scores.AsSpan(b * 32, 32));
                return byScore != 0 ? byScore : string.CompareOrdinal(ids[a], ids[b]);
            });
            for (var i = 0; i < n; i++)
            {
                buffers.Amounts[i] = members[buffers.Order[i]].Amount;
            }

            var chosen = LotteryDraw.Fill(buffers.Amounts, budget, rule);
            for (var i = 0; i < n; i++)
            {
                if (chosen[i])
                {
                    buffers.Counts[buffers.Order[i]]++;
                }
            }

            return buffers;
        }, buffers =>
        {
            lock (gate)
            {
                for (var i = 0; i < n; i++)
                {
                    totals[i] += buffers.Counts[i];
                }
            }
        });

        return members.Select((m, i) =>
        {
            var p = totals[i] / (double)simulations;
            return new AssignmentProbability(m.Id, p, Math.Sqrt(p * (1 - p) / simulations), MonteCarlo);
        });
    }

    private sealed class SimulationBuffers(int n)
    {
        public byte[] Scores { get; } = new byte[n * 32];

        public int[] Order { get; } = new int[n];

        public long[] Amounts { get; } = new long[n];

        public long[] Counts { get; } = new long[n];
    }
}

using System.Security.Cryptography;
using Grants.Domain.Lottery;

namespace Grants.Benchmarks;

/// <summary>
/// The lottery's two heavy computations against their floor, raw HMAC-SHA256 throughput measured in
/// the same run: a draw (order and allocation) of a 100,000-application pool, and Monte Carlo
/// assignment probabilities for a 5,000-application budget-constrained pool with 10,000 simulations
/// on all cores.
/// </summary>
public static class LotteryBenchmark
{
    public static int Run()
    {
        var key = SHA256.HashData("benchmark"u8);
        var amounts = new long[] { 120_000_00, 95_000_00, 110_000_00, 60_000_00, 80_000_00, 45_000_00, 100_000_00, 75_000_00 };

        // Draw: 100,000 entries, budget for about a third.
        var big = Enumerable.Range(1, 100_000).Select(i => new DrawEntry($"P-{i:D6}", "all", amounts[i % amounts.Length])).ToList();
        var budget = big.Sum(e => e.Amount) / 3;
        Draw(key, big, budget); // warm-up
        var drawSeconds = Timing.MedianSeconds(5, () => Draw(key, big, budget));
        var hmacFloor = Timing.MedianSeconds(5, () => RawHmacs(key, big));

        // Monte Carlo: 5,000 entries, 10,000 simulations, both cores.
        var pool = big.Take(5_000).ToList();
        var design = new LotteryDesign("skip", pool.Sum(e => e.Amount) / 3, null);
        AssignmentProbabilities.Compute("round-bench", pool.Take(200).ToList(), design, key, 100); // warm-up
        var monteCarloSeconds = Timing.Seconds(() => AssignmentProbabilities.Compute("round-bench", pool, design, key, 10_000));
        var hmacsPerSecondAllCores = RawHmacsPerSecondAllCores(key, pool, 200);
        var monteCarloFloor = 5_000.0 * 10_000 / hmacsPerSecondAllCores;

        Console.WriteLine($"| measure | Grants | floor (raw HMAC-SHA256 of the same messages) | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| draw, 100,000 applications (s, median of 5) | {drawSeconds:F3} | {hmacFloor:F3} | {drawSeconds / hmacFloor:F2} |");
        Console.WriteLine($"| Monte Carlo, 5,000 applications × 10,000 simulations, {Environment.ProcessorCount} cores (s) | {monteCarloSeconds:F1} | {monteCarloFloor:F1} | {monteCarloSeconds / monteCarloFloor:F2} |");
        return 0;
    }

    private static void Draw(byte[] key, List<DrawEntry> pool, long budget)
    {
        var order = LotteryDraw.Order(key, "round-bench", pool);
        LotteryDraw.Allocate(order, new LotteryDesign("skip", budget, null));
    }

    private static void RawHmacs(byte[] key, List<DrawEntry> pool)
    {
        Span<byte> score = stackalloc byte[32];
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        foreach (var entry in pool)
        {
            hmac.AppendData(LotteryDraw.ScoreMessage("round-bench", entry.Stratum, entry.Id));
            hmac.GetHashAndReset(score);
        }
    }

    private static double RawHmacsPerSecondAllCores(byte[] key, List<DrawEntry> pool, int rounds)
    {
        var messages = pool.Select(e => LotteryDraw.ScoreMessage("round-bench", e.Stratum, e.Id)).ToArray();
        var seconds = Timing.Seconds(() => Parallel.For(0, rounds, _ =>
        {
            Span<byte> score = stackalloc byte[32];
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            foreach (var message in messages)
            {
                hmac.AppendData(message);
                hmac.GetHashAndReset(score);
            }
        }));
        return messages.Length * (double)rounds / seconds;
    }

}

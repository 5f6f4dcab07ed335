using System.Numerics;

namespace Grants.Evaluation.Estimators;

/// <summary>The randomisation-inference p-value, exact or Monte Carlo with its own standard error.</summary>
/// <param name="Draws">Monte Carlo draws; 0 when exact.</param>
public sealed record RandomisationP(double P, double McSe, bool Exact, int Draws, string Method);

/// <summary>
/// Randomisation inference under the sharp null of no effect for anyone (Gerber &amp; Green 2012, ch. 3.4):
/// outcomes stay as observed, and the assignment is re-drawn as the lottery drew it — within each
/// stratum, with the same number of winners there. The test statistic is the blocked difference in
/// means |Σⱼ (Nⱼ/N)(ȳ₁ⱼ − ȳ₀ⱼ)|, and the p-value is the share of assignments at least as extreme as the
/// observed one. For 0/1 outcomes the statistic depends only on how many successes fall among each
/// stratum's winners, which is hypergeometric, so the p-value is usually exact even for large pools;
/// otherwise exact enumeration when the assignments are few, and a seeded Monte Carlo with its standard
/// error when they are not.
/// </summary>
public static class RandomisationInference
{
    public const string ExactMethod = "Randomisation inference, exact over all within-stratum assignments (Gerber & Green 2012, ch. 3.4)";
    public const string MonteCarloMethod = "Randomisation inference, Monte Carlo over within-stratum assignments, p = (hits + 1)/(draws + 1) with its Monte Carlo standard error (Gerber & Green 2012, ch. 3.4; Phipson & Smyth 2010)";
    public const int DefaultSeed = 20080601;

    /// <summary>Complete random assignment: one stratum.</summary>
    public static RandomisationP TwoSided(IReadOnlyList<double> outcomes, IReadOnlyList<bool> assigned, int maxExact = 1_000_000, int draws = 10_000, int seed = DefaultSeed) =>
        Blocked([Enumerable.Range(0, outcomes.Count).Select(i => (outcomes[i], assigned[i])).ToArray()], maxExact, draws, seed);

    /// <param name="strata">Each stratum's units; strata without both winners and losers carry no contrast and are left out.</param>
    /// <param name="maxExact">The largest number of distinct assignments (or, for 0/1 outcomes, of success splits) enumerated exactly.</param>
    public static RandomisationP Blocked(IReadOnlyList<IReadOnlyList<(double Y, bool Assigned)>> strata, int maxExact = 1_000_000, int draws = 10_000, int seed = DefaultSeed)
    {
        var blocks = strata
            .Select(s => new Block(s.Select(u => u.Y).ToArray(), s.Count(u => u.Assigned), s.Where(u => u.Assigned).Sum(u => u.Y)))
            .Where(b => b.Treated > 0 && b.Treated < b.Outcomes.Length)
            .ToArray();
        var total = blocks.Sum(b => b.Outcomes.Length);
        foreach (var block in blocks)
        {
            block.Weight = block.Outcomes.Length / (double)total;
        }

        var observed = Math.Abs(blocks.Sum(b => b.Contribution(b.ObservedSum)));
        var threshold = observed - (1e-9 * Math.Max(1, observed));
        var binary = blocks.All(b => b.Outcomes.All(y => y is 0 or 1));
        return binary ? Hypergeometric(blocks, threshold, maxExact, draws, seed) : Permutations(blocks, threshold, maxExact, draws, seed);
    }

    public static BigInteger Binomial(int n, int k)
    {
        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }

    private static RandomisationP Hypergeometric(Block[] blocks, double threshold, int maxExact, int draws, int seed)
    {
        foreach (var block in blocks)
        {
            block.BuildHypergeometric();
        }

        var splits = blocks.Aggregate(BigInteger.One, (product, b) => product * b.Support.Length);
        if (splits <= maxExact)
        {
            var p = 0.0;
            void Walk(int index, double statistic, double probability)
            {
                if (index == blocks.Length)
                {
                    p += Math.Abs(statistic) >= threshold ? probability : 0;
                    return;
                }

                var block = blocks[index];
                for (var i = 0; i < block.Support.Length; i++)
                {
                    Walk(index + 1, statistic + block.Contribution(block.Support[i]), probability * block.Probabilities[i]);
                }
            }

            Walk(0, 0, 1);
            return new RandomisationP(Math.Min(1, p), 0, true, 0, ExactMethod);
        }

        return MonteCarlo(draws, seed, threshold, random => () => blocks.Sum(b => b.Contribution(b.SampleSuccesses(random))));
    }

    private static RandomisationP Permutations(Block[] blocks, double threshold, int maxExact, int draws, int seed)
    {
        var assignments = blocks.Aggregate(BigInteger.One, (product, b) => product * Binomial(b.Outcomes.Length, b.Treated));
        if (assignments <= maxExact)
        {
            var sums = blocks.Select(b => TreatedSums(b.Outcomes, b.Treated).ToArray()).ToArray();
            long extreme = 0;
            void Walk(int index, double statistic)
            {
                if (index == blocks.Length)
                {
                    extreme += Math.Abs(statistic) >= threshold ? 1 : 0;
                    return;
                }

                foreach (var sum in sums[index])
                {
                    Walk(index + 1, statistic + blocks[index].Contribution(sum));
                }
            }

            Walk(0, 0);
            return new RandomisationP(extreme / (double)assignments, 0, true, 0, ExactMethod);
        }

        return MonteCarlo(draws, seed, threshold, random =>
        {
            var scratch = blocks.Select(b => (double[])b.Outcomes.Clone()).ToArray();
            return () =>
            {
                var statistic = 0.0;
                for (var i = 0; i < blocks.Length; i++)
                {
                    statistic += blocks[i].Contribution(blocks[i].SampleTreatedSum(scratch[i], random));
                }

                return statistic;
            };
        });
    }

    /// <summary>
    /// Draws in fixed chunks, each with its own generator seeded from <paramref name="seed"/> and the chunk
    /// number, so the chunks can run in parallel and the p-value is still the same on every run and machine
    /// (the generator only re-draws assignments; it allocates nothing).
    /// </summary>
    private static RandomisationP MonteCarlo(int draws, int seed, double threshold, Func<Random, Func<double>> sampler)
    {
        const int chunkSize = 1_000;
        var chunks = (draws + chunkSize - 1) / chunkSize;
        var hitsPerChunk = new int[chunks];
        Parallel.For(0, chunks, chunk =>
        {
            var statistic = sampler(new Random(unchecked(seed + (chunk * 1_000_003))));
            var hits = 0;
            for (var d = chunk * chunkSize; d < Math.Min(draws, (chunk + 1) * chunkSize); d++)
            {
                hits += Math.Abs(statistic()) >= threshold ? 1 : 0;
            }

            hitsPerChunk[chunk] = hits;
        });

        // The observed assignment is one of the possible ones, so it counts among the draws: (hits + 1) / (draws + 1)
        // is a valid p-value for any number of draws and never 0 (Phipson & Smyth 2010).
        var p = (hitsPerChunk.Sum() + 1) / (double)(draws + 1);
        return new RandomisationP(p, Math.Sqrt(p * (1 - p) / draws), false, draws, MonteCarloMethod);
    }

    private static IEnumerable<double> TreatedSums(double[] outcomes, int k)
    {
        var n = outcomes.Length;
        var combination = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return combination.Sum(i => outcomes[i]);
            var i = k - 1;
            while (i >= 0 && combination[i] == n - k + i)
            {
                i--;
            }

            if (i < 0)
            {
                yield break;
            }

            combination[i]++;
            for (var j = i + 1; j < k; j++)
            {
                combination[j] = combination[j - 1] + 1;
            }
        }
    }

    private sealed class Block(double[] outcomes, int treated, double observedSum)
    {
        public double[] Outcomes { get; } = outcomes;

        public int Treated { get; } = treated;

        public double ObservedSum { get; } = observedSum;

        public double Weight { get; set; }

        public int[] Support { get; private set; } = [];

        public double[] Probabilities { get; private set; } = [];

        private double[] cumulative = [];

        private double Total { get; } = outcomes.Sum();

        /// <summary>(Nⱼ/N)·(mean of winners − mean of losers) when the winners' outcomes sum to <paramref name="treatedSum"/>.</summary>
        public double Contribution(double treatedSum) =>
            Weight * ((treatedSum / Treated) - ((Total - treatedSum) / (Outcomes.Length - Treated)));

        public void BuildHypergeometric()
        {
            var (n, k, t) = (Outcomes.Length, (int)Math.Round(Total), Treated);
            var low = Math.Max(0, t + k - n);
            var high = Math.Min(t, k);
            Support = Enumerable.Range(low, high - low + 1).ToArray();
            var logFactorial = new double[n + 1];
            for (var i = 2; i <= n; i++)
            {
                logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
            }

            double LogChoose(int a, int b) => logFactorial[a] - logFactorial[b] - logFactorial[a - b];
            Probabilities = Support.Select(s => Math.Exp(LogChoose(k, s) + LogChoose(n - k, t - s) - LogChoose(n, t))).ToArray();
            cumulative = new double[Support.Length];
            var running = 0.0;
            for (var i = 0; i < Support.Length; i++)
            {
                running += Probabilities[i];
                cumulative[i] = running;
            }
        }

        public int SampleSuccesses(Random random)
        {
            var u = random.NextDouble() * cumulative[^1];
            var index = Array.BinarySearch(cumulative, u);
            return Support[Math.Min(index < 0 ? ~index : index, Support.Length - 1)];
        }

        /// <summary>
        /// A partial Fisher–Yates shuffle picks the smaller side (winners or losers) and the winners' sum
        /// follows; its cost is the size of that side.
        /// </summary>
        public double SampleTreatedSum(double[] scratch, Random random)
        {
            var pick = Math.Min(Treated, scratch.Length - Treated);
            var sum = 0.0;
            for (var i = 0; i < pick; i++)
            {
                var j = random.Next(i, scratch.Length);
                (scratch[i], scratch[j]) = (scratch[j], scratch[i]);
                sum += scratch[i];
            }

            return pick == Treated ? sum : Total - sum;
        }
    }
}

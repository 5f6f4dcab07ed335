using Grants.Domain.Lottery;

namespace Grants.Domain.Tests.Lottery;

public sealed class AssignmentProbabilityTests
{
    private static readonly byte[] Key = Convert.FromHexString("78010e6242fabdf2bd43940fd5a992a6ae0f41778e1c99ccaba36c54f353848f");

    private static DrawEntry[] Requests(params long[] amounts) => [.. amounts.Select((a, i) => new DrawEntry($"R-{i + 1}", "all", a))];

    [Fact]
    public void SkipRuleReproducesTheDomainExample()
    {
        // domain.md §2.5: budget 100, requests 60/50/40/30 in random order, skip what does not fit.
        var p = AssignmentProbabilities.Compute("r", Requests(60, 50, 40, 30), new LotteryDesign("skip", 100, null), Key);
        Assert.Equal([5 / 12.0, 5 / 12.0, 7 / 12.0, 7 / 12.0], p.Select(x => x.P), new Tolerance(1e-12));
        Assert.All(p, x => Assert.Equal((AssignmentProbabilities.Enumeration, 0.0), (x.Method, x.Se)));
    }

    [Fact]
    public void StopRuleReproducesTheIssueExample()
    {
        var p = AssignmentProbabilities.Compute("r", Requests(60, 50, 40, 30), new LotteryDesign("stop", 100, null), Key);
        Assert.Equal([5 / 12.0, 5 / 12.0, 1 / 2.0, 1 / 2.0], p.Select(x => x.P), new Tolerance(1e-12));
    }

    [Fact]
    public void EveryoneIsSelectedWhenThePoolFitsTheBudget()
    {
        var p = AssignmentProbabilities.Compute("r", Requests(60, 40), new LotteryDesign("skip", 100, null), Key);
        Assert.All(p, x => Assert.Equal((1.0, AssignmentProbabilities.FitsBudget), (x.P, x.Method)));
    }

    [Fact]
    public void EqualRequestsHaveTheClosedFormShare()
    {
        var p = AssignmentProbabilities.Compute("r", Requests([.. Enumerable.Repeat(30L, 12)]), new LotteryDesign("stop", 100, null), Key);
        Assert.All(p, x => Assert.Equal((3 / 12.0, AssignmentProbabilities.EqualAmounts), (x.P, x.Method)));
    }

    [Fact]
    public void MonteCarloAgreesWithEnumerationWithinItsStandardError()
    {
        // Ten members force Monte Carlo; the exact answer comes from enumerating the same ten (10! orders).
        var amounts = new long[] { 60, 50, 40, 30, 20, 60, 50, 40, 30, 20 };
        var pool = Requests(amounts);
        var design = new LotteryDesign("skip", 150, null);

        var simulated = AssignmentProbabilities.Compute("r", pool, design, Key, simulations: 20_000);
        var exact = ExactByEnumeration(amounts, 150, "skip");

        Assert.All(simulated, x => Assert.Equal(AssignmentProbabilities.MonteCarlo, x.Method));
        for (var i = 0; i < amounts.Length; i++)
        {
            var member = simulated.Single(x => x.Id == $"R-{i + 1}");
            Assert.True(Math.Abs(member.P - exact[i]) < 4 * member.Se + 1e-9, $"member {member.Id}: simulated {member.P} ± {member.Se}, exact {exact[i]}");
        }
    }

    [Fact]
    public void MonteCarloIsAPureFunctionOfTheDrawKey()
    {
        var pool = Requests(60, 50, 40, 30, 20, 60, 50, 40, 30, 20);
        var design = new LotteryDesign("stop", 150, null);
        var once = AssignmentProbabilities.Compute("r", pool, design, Key, 2_000);
        var again = AssignmentProbabilities.Compute("r", pool, design, Key, 2_000);
        Assert.Equal(once, again);
    }

    private static double[] ExactByEnumeration(long[] amounts, long budget, string rule)
    {
        var n = amounts.Length;
        var counts = new long[n];
        long total = 0;
        void Recurse(List<int> prefix, bool[] used)
        {
            if (prefix.Count == n)
            {
                var chosen = LotteryDraw.Fill(prefix.Select(i => amounts[i]).ToArray(), budget, rule);
                for (var j = 0; j < n; j++)
                {
                    if (chosen[j])
                    {
                        counts[prefix[j]]++;
                    }
                }

                total++;
                return;
            }

            for (var i = 0; i < n; i++)
            {
                if (!used[i])
                {
                    used[i] = true;
                    prefix.Add(i);
                    Recurse(prefix, used);
                    prefix.RemoveAt(prefix.Count - 1);
                    used[i] = false;
                }
            }
        }

        Recurse([], new bool[n]);
        return [.. counts.Select(c => c / (double)total)];
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < epsilon;

        public int GetHashCode(double obj) => 0;
    }
}

using CsCheck;
using Grants.Domain.Allocation;
using Grants.Domain.Lottery;

namespace Grants.Domain.Tests.Allocation;

/// <summary>
/// Every randomising method over random small strata (one to seven candidates, amounts, days, scores and budgets chosen
/// to make ties and near-fits common), checked against an independent computation: each method's rule written out
/// literally — sort by what the method ranks on, break every tie by a lottery order, fund down the order — and run for
/// every one of the n! lottery orders. The chance the method states for each candidate must be that exact share; the
/// real draw must fund exactly whom the literal rule funds under the draw's own order; and only the drawn group may have
/// a chance strictly between 0 and 1.
/// </summary>
public sealed class AllocationMethodPropertyTests
{
    private static readonly byte[] Key = Convert.FromHexString("78010e6242fabdf2bd43940fd5a992a6ae0f41778e1c99ccaba36c54f353848f");

    private static readonly DateTimeOffset Opening = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));

    private sealed record Case(string Method, IReadOnlyList<Candidate> Candidates, long Budget, string Rule, RandomisationBand Band);

    private static readonly Gen<Case> Cases =
        from method in Gen.Int[0, 3].Select(i => new[] { AllocationMethod.Lottery, AllocationMethod.FirstComeFirstServedByDay, AllocationMethod.RankedTender, AllocationMethod.PartialRandomisation }[i])
        from n in Gen.Int[1, 7]
        from amounts in Gen.Int[1, 5].Select(a => a * 10L).Array[n]
        from days in Gen.Int[0, 2].Array[n]
        from minutes in Gen.Int[0, 600].Array[n]
        from scores in Gen.Int[5, 8].Array[n]
        from budget in Gen.Int[0, 20].Select(b => b * 10L)
        from rule in Gen.Int[0, 1].Select(i => i == 0 ? LotteryDesign.Skip : LotteryDesign.Stop)
        from band in Gen.Int[0, 3].Select(i => i switch
        {
            0 => new RandomisationBand(Upper: 8, Lower: 6),
            1 => new RandomisationBand(Upper: 7, Lower: 6),
            2 => new RandomisationBand(Size: 2),
            _ => new RandomisationBand(Size: 3),
        })
        select new Case(method, [.. Enumerable.Range(0, n).Select(i => new Candidate($"P-{i}", "all", amounts[i], Opening.AddDays(days[i]).AddMinutes(minutes[i]), scores[i]))],
            budget, AllocationMethod.EndsAtFirstThatDoesNotFit(method) ? LotteryDesign.Stop : rule, band);

    /// <summary>What an applicant reads about a round (its CommonGrants opportunity): each method says how it allocates, and a lottery only where it draws.</summary>
    [Fact]
    public void EveryMethodSaysHowItAllocatesAndOnlyThoseThatDrawSpeakOfALottery()
    {
        foreach (var method in AllocationMethod.All)
        {
            var sentence = AllocationMethod.HowItAllocates(method);
            Assert.Equal(AllocationMethod.Randomises(method), sentence.Contains("verifiable lottery", StringComparison.Ordinal));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => AllocationMethod.HowItAllocates("auction"));
    }

    [Fact]
    public void EveryStatedChanceIsTheShareOfLotteryOrdersInWhichTheLiteralRuleFundsTheCandidate()
    {
        Cases.Sample(c =>
        {
            var layout = Layout(c);
            var stated = AllocationDraw.Chances("round-1", layout, Key).ToDictionary(p => p.Id, p => p.P);
            var exact = ExactChances(c);

            Assert.Equal(c.Candidates.Select(x => x.Id).Order(), stated.Keys.Order());
            foreach (var candidate in c.Candidates)
            {
                Assert.True(Math.Abs(stated[candidate.Id] - exact[candidate.Id]) < 1e-12,
                    $"{c.Method}, budget {c.Budget}, {candidate.Id}: stated {stated[candidate.Id]}, exact {exact[candidate.Id]}; {layout.Why}");
            }
        }, iter: 400);
    }

    [Fact]
    public void TheDrawFundsExactlyWhomTheLiteralRuleFundsUnderTheDrawsOwnOrder()
    {
        Cases.Sample(c =>
        {
            var layout = Layout(c);
            var outcome = AllocationDraw.Allocate(AllocationDraw.Order(Key, "round-1", layout), layout);
            var drawOrder = c.Candidates.OrderBy(x => LotteryDraw.Score(Key, "round-1", "all", x.Id), ByteOrder).ThenBy(x => x.Id, StringComparer.Ordinal).Select(x => x.Id).ToList();

            Assert.Equal(Literal(c, drawOrder).Order(), outcome.Selected.Order());
            Assert.Equal(c.Candidates.Select(x => x.Id).Order(), outcome.Selected.Concat(outcome.Reserve).Concat(outcome.Excluded).Order());
        }, iter: 400);
    }

    [Fact]
    public void OnlyTheDrawnGroupHasAChanceStrictlyBetweenZeroAndOne()
    {
        Cases.Sample(c =>
        {
            var layout = Layout(c);
            var drawn = layout.Drawn.Select(x => x.Id).ToHashSet();
            foreach (var chance in AllocationDraw.Chances("round-1", layout, Key))
            {
                Assert.True(chance.P is 0 or 1 || drawn.Contains(chance.Id), $"{chance.Id} has chance {chance.P} outside the drawn group; {layout.Why}");
                Assert.True(drawn.Contains(chance.Id) || chance.Method is AllocationDraw.Ahead or AllocationDraw.Behind);
            }
        }, iter: 400);
    }

    [Fact]
    public void FirstComeFirstServedFundsEarlierDaysDrawsTheDayTheBudgetRunsOutAndNeverReachesLaterDays()
    {
        // Budget 100: day one asks 50 (funded), day two 90 (drawn for the 50 left), day three 10 (never reached, though it would fit).
        var candidates = new[]
        {
            new Candidate("A", "all", 30, Opening), new Candidate("B", "all", 20, Opening.AddHours(3)),
            new Candidate("C", "all", 40, Opening.AddDays(1)), new Candidate("D", "all", 30, Opening.AddDays(1).AddHours(1)), new Candidate("E", "all", 20, Opening.AddDays(1).AddHours(2)),
            new Candidate("F", "all", 10, Opening.AddDays(2)),
        };
        var layout = AllocationLayout.FirstComeFirstServedByDay("all", candidates, 100);

        var chances = AllocationDraw.Chances("round-1", layout, Key).ToDictionary(p => p.Id, p => p.P);

        Assert.Equal(["A", "B"], layout.Ahead.Select(c => c.Id));
        Assert.Equal(["C", "D", "E"], layout.Drawn.Select(c => c.Id));
        Assert.Equal(["F"], layout.Behind.Select(c => c.Id));
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 1, ["C"] = 2 / 6.0, ["D"] = 3 / 6.0, ["E"] = 3 / 6.0, ["F"] = 0 }, chances);
        Assert.Contains("2026-03-03", layout.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-28T23:30:00Z", "2026-03-29")] // 00:30 CET, the night the clocks go forward
    [InlineData("2026-03-29T21:59:59Z", "2026-03-29")] // 23:59:59 CEST
    [InlineData("2026-03-29T22:00:00Z", "2026-03-30")]
    [InlineData("2026-10-24T21:59:59Z", "2026-10-24")] // 23:59:59 CEST
    [InlineData("2026-10-25T22:59:59Z", "2026-10-25")] // 23:59:59 CET, the day the clocks went back
    [InlineData("2026-10-25T23:00:00Z", "2026-10-26")]
    public void ADayIsTheCalendarDayInAmsterdam(string moment, string day) =>
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), AllocationLayout.DayOf(DateTimeOffset.Parse(moment, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void ARankedTenderDrawsOnlyTheTieAtTheFundingLine()
    {
        // Budget 100: 9 (40) funded; the 8s ask 90 for the 60 left and are drawn; the 7 waits.
        var candidates = new[]
        {
            new Candidate("A", "all", 40, Score: 9m), new Candidate("B", "all", 30, Score: 8m), new Candidate("C", "all", 30, Score: 8m),
            new Candidate("D", "all", 30, Score: 8m), new Candidate("E", "all", 10, Score: 7m),
        };
        var layout = AllocationLayout.RankedTender("all", candidates, 100);

        var chances = AllocationDraw.Chances("round-1", layout, Key).ToDictionary(p => p.Id, p => p.P);

        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 2 / 3.0, ["C"] = 2 / 3.0, ["D"] = 2 / 3.0, ["E"] = 0 }, chances);
    }

    [Fact]
    public void PartialRandomisationByBandSizeWidensTheBandToWholeScores()
    {
        // Ranking 9, 8, 8, 7, 6 at 30 each; a budget of 100 funds three, so the line falls after the third. A band of 2
        // around it holds ranks 3 and 4 (scores 8 and 7); rank 2 shares rank 3's score, so the band takes it in too.
        var candidates = new[]
        {
            new Candidate("A", "all", 30, Score: 9m), new Candidate("B", "all", 30, Score: 8m), new Candidate("C", "all", 30, Score: 8m),
            new Candidate("D", "all", 30, Score: 7m), new Candidate("E", "all", 30, Score: 6m),
        };

        var split = new RandomisationBand(Size: 2).Split(candidates, 100);

        Assert.Equal(["A"], split.Top.Select(c => c.Id));
        Assert.Equal(["B", "C", "D"], split.Band.Select(c => c.Id).Order());
        Assert.Equal(["E"], split.Below.Select(c => c.Id));
    }

    private static StratumLayout Layout(Case c) => c.Method switch
    {
        AllocationMethod.Lottery => AllocationLayout.Lottery("all", c.Candidates, c.Budget, c.Rule),
        AllocationMethod.FirstComeFirstServedByDay => AllocationLayout.FirstComeFirstServedByDay("all", c.Candidates, c.Budget),
        AllocationMethod.RankedTender => AllocationLayout.RankedTender("all", c.Candidates, c.Budget),
        _ => AllocationLayout.PartialRandomisation("all", c.Candidates, c.Budget, c.Band),
    };

    /// <summary>The share of all n! lottery orders in which <see cref="Literal"/> funds each candidate.</summary>
    private static Dictionary<string, double> ExactChances(Case c)
    {
        var ids = c.Candidates.Select(x => x.Id).ToList();
        var counts = ids.ToDictionary(id => id, _ => 0L);
        long orders = 0;
        foreach (var order in Permutations(ids))
        {
            foreach (var funded in Literal(c, order))
            {
                counts[funded]++;
            }

            orders++;
        }

        return counts.ToDictionary(p => p.Key, p => p.Value / (double)orders);
    }

    /// <summary>
    /// Each method's rule as a person would apply it, given a lottery order that breaks every tie: first come, first served
    /// sorts by day of receipt; a tender by score; partial randomisation funds the top, then the band in lottery order;
    /// then the budget is filled down the order. It never looks for a funding line.
    /// </summary>
    private static IReadOnlyList<string> Literal(Case c, IReadOnlyList<string> lotteryOrder)
    {
        var place = lotteryOrder.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        IEnumerable<Candidate> InLotteryOrder(IEnumerable<Candidate> candidates) => candidates.OrderBy(x => place[x.Id]);
        switch (c.Method)
        {
            case AllocationMethod.Lottery:
                return Fund(InLotteryOrder(c.Candidates), c.Budget, c.Rule);
            case AllocationMethod.FirstComeFirstServedByDay:
                return Fund(c.Candidates.OrderBy(x => AllocationLayout.DayOf(x.Completed)).ThenBy(x => place[x.Id]), c.Budget, LotteryDesign.Stop);
            case AllocationMethod.RankedTender:
                return Fund(c.Candidates.OrderByDescending(x => x.Scored).ThenBy(x => place[x.Id]), c.Budget, LotteryDesign.Stop);
            default:
                var split = c.Band.Split(c.Candidates, c.Budget);
                var top = split.Top.Sum(x => x.Amount);
                return top > c.Budget
                    ? Fund(split.Top.OrderByDescending(x => x.Scored).ThenBy(x => place[x.Id]), c.Budget, LotteryDesign.Stop)
                    : [.. split.Top.Select(x => x.Id), .. Fund(InLotteryOrder(split.Band), c.Budget - top, c.Rule)];
        }
    }

    private static List<string> Fund(IEnumerable<Candidate> order, long budget, string rule)
    {
        var funded = new List<string>();
        foreach (var candidate in order)
        {
            if (candidate.Amount <= budget)
            {
                funded.Add(candidate.Id);
                budget -= candidate.Amount;
            }
            else if (rule == LotteryDesign.Stop)
            {
                break;
            }
        }

        return funded;
    }

    private static IEnumerable<IReadOnlyList<string>> Permutations(IReadOnlyList<string> items) =>
        items.Count <= 1 ? [items] : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (IReadOnlyList<string>)[item, .. rest]));

    private static readonly Comparer<byte[]> ByteOrder = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));
}

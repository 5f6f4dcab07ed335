using Grants.Domain.Allocation;
using Grants.Domain.Lottery;
using Grants.Tests;

namespace Grants.Domain.Tests.Allocation;

/// <summary>
/// Protocols of the methods other than the lottery (schema version 3): they state each unit's chance, verify from their
/// published inputs alone, survive their JSON, and fail on any change to what the method ordered by or to what it derived.
/// </summary>
public sealed class AllocationProtocolTests
{
    private static readonly byte[] Ministry = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private static readonly DateTimeOffset Opening = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));

    /// <summary>
    /// An opening-day rush at small scale: four applications complete on the first day (one of them only after answering a
    /// question, late that evening), nine on the second, two on the third; the budget runs out on the second day.
    /// </summary>
    public static LotteryProtocol FirstComeFirstServed()
    {
        var candidates = new List<Candidate>
        {
            new("P-a1", "all", 20_000_00, Opening.AddMinutes(1)), new("P-a2", "all", 25_000_00, Opening.AddMinutes(7)),
            new("P-a3", "all", 15_000_00, Opening.AddHours(2)), new("P-a4", "all", 20_000_00, Opening.AddHours(14).AddMinutes(59)),
        };
        candidates.AddRange(Enumerable.Range(1, 9).Select(i => new Candidate($"P-b{i}", "all", (10 + (i * 5)) * 1_000_00L, Opening.AddDays(1).AddMinutes(i * 13))));
        candidates.AddRange([new Candidate("P-c1", "all", 5_000_00, Opening.AddDays(2)), new Candidate("P-c2", "all", 30_000_00, Opening.AddDays(2).AddHours(1))]);
        return LotteryProtocol.Draw("round-fcfs", candidates, [Ministry], new ProtocolDesign("stop", 200_000_00, null, AllocationMethod.FirstComeFirstServedByDay), 2_000, Opening.AddDays(5), Builders.PlanHash);
    }

    public static LotteryProtocol RankedTender() => LotteryProtocol.Draw("round-tender", Scored(), [Ministry], new ProtocolDesign("stop", 100_000_00, null, AllocationMethod.RankedTender), 2_000, Opening.AddDays(30), Builders.PlanHash);

    public static LotteryProtocol PartialRandomisation() => LotteryProtocol.Draw("round-band", Scored(), [Ministry],
        new ProtocolDesign("stop", 100_000_00, null, AllocationMethod.PartialRandomisation, new ProtocolBand(Upper: 8.5m, Lower: 6.5m)), 2_000, Opening.AddDays(30), Builders.PlanHash);

    /// <summary>
    /// Pro rata in two strata: care asks €105,000 of €80,000 with a minimum grant of €10,000, so its €5,000 request is
    /// dropped and the rest cut to 80%; industry asks less than its budget and is granted in full. No seeds.
    /// </summary>
    public static LotteryProtocol ProRata() => LotteryProtocol.Draw("round-pro-rata",
        [
            new Candidate("P-1", "care", 40_000_00), new Candidate("P-2", "care", 30_000_00), new Candidate("P-3", "care", 30_000_00),
            new Candidate("P-4", "care", 5_000_00), new Candidate("P-5", "industry", 20_000_00),
        ],
        [], new ProtocolDesign("stop", null, [new StratumBudget("care", 80_000_00), new StratumBudget("industry", 50_000_00)], AllocationMethod.ProRata, MinimumGrant: 10_000_00),
        2_000, Opening.AddDays(30), Builders.PlanHash);

    /// <summary>Ten scored applications, two pairs of them tied.</summary>
    private static IReadOnlyList<Candidate> Scored() =>
    [
        new("P-01", "all", 30_000_00, Score: 9.250m), new("P-02", "all", 25_000_00, Score: 8.750m), new("P-03", "all", 20_000_00, Score: 8.000m),
        new("P-04", "all", 20_000_00, Score: 8.000m), new("P-05", "all", 15_000_00, Score: 7.500m), new("P-06", "all", 25_000_00, Score: 7.000m),
        new("P-07", "all", 10_000_00, Score: 7.000m), new("P-08", "all", 20_000_00, Score: 6.667m), new("P-09", "all", 10_000_00, Score: 6.000m),
        new("P-10", "all", 15_000_00, Score: 5.333m),
    ];

    [Fact]
    public void FirstComeFirstServedStatesChanceOneForTheFirstDayTheDrawnDaysChancesAndZeroAfter()
    {
        var protocol = FirstComeFirstServed();
        var chances = protocol.Probabilities.ToDictionary(p => p.Id);

        Assert.Equal(LotteryProtocol.MethodSchemaVersion, protocol.SchemaVersion);
        Assert.All(["P-a1", "P-a2", "P-a3", "P-a4"], id => Assert.Equal((1.0, AllocationDraw.Ahead), (chances[id].P, chances[id].Method)));
        Assert.All(Enumerable.Range(1, 9), i => Assert.InRange(chances[$"P-b{i}"].P, 0.0001, 0.9999));
        Assert.All(["P-c1", "P-c2"], id => Assert.Equal((0.0, AllocationDraw.Behind), (chances[id].P, chances[id].Method)));
        Assert.Equal(new ProtocolLine("all", 4, 9, 2, 0, "the budget is exceeded at day of receipt 2026-03-03: 9 applications are drawn for the 12000000 cents left"), Assert.Single(protocol.Lines!));
        Assert.Equal(["P-a1", "P-a2", "P-a3", "P-a4"], protocol.Order.Take(4).Select(o => o.Id));
        Assert.Equal(["P-c1", "P-c2"], protocol.Order.TakeLast(2).Select(o => o.Id));
        Assert.DoesNotContain("P-c1", protocol.Selected); // it would fit what is left, but the order ends at the first that does not fit
    }

    [Fact]
    public void ATenderAndPartialRandomisationStateTheirChancesAndWhomTheyTurnedDown()
    {
        var tender = RankedTender();
        var band = PartialRandomisation();

        // Tender: 9.25 and 8.75 ask 55,000, the two 8s 40,000 more; 7.5 asks 15,000 of the 5,000 left, so the line is at 7.5,
        // where one application is "drawn" and cannot be funded whatever the draw: no draw was needed.
        Assert.Equal("the budget is exceeded at score 7.500: 1 application is drawn for the 500000 cents left", Assert.Single(tender.Lines!).Why);
        Assert.False(tender.DrawNeeded);
        Assert.Equal(["P-01", "P-02", "P-03", "P-04"], tender.Selected);
        Assert.Empty(tender.Excluded!);
        // Band: 9.25 and 8.75 funded (55,000); 6.5 to below 8.5 drawn for the 45,000 left; 6.0 and 5.333 turned down.
        Assert.Equal(["P-09", "P-10"], band.Excluded);
        Assert.Equal(new ProtocolLine("all", 2, 6, 0, 2, "2 score 8.5 or more and are funded; 6 score from 6.5 to below 8.5 and are drawn; 2 score below 6.5"), Assert.Single(band.Lines!));
        Assert.DoesNotContain("P-09", band.Order.Select(o => o.Id));
        Assert.All(band.Probabilities.Where(p => p.Id is "P-09" or "P-10"), p => Assert.Equal(0.0, p.P));
    }

    [Fact]
    public void ProRataPublishesEachShareWithChanceOneAndTurnsDownThoseBelowTheMinimum()
    {
        var protocol = ProRata();
        var chances = protocol.Probabilities.ToDictionary(p => p.Id);

        Assert.Equal([new ProtocolShare("P-1", 32_000_00), new ProtocolShare("P-2", 24_000_00), new ProtocolShare("P-3", 24_000_00), new ProtocolShare("P-4", 0), new ProtocolShare("P-5", 20_000_00)], protocol.Shares);
        Assert.Equal(["P-1", "P-2", "P-3", "P-5"], protocol.Selected);
        Assert.Equal(["P-4"], protocol.Excluded);
        Assert.Empty(protocol.Reserve);
        Assert.Empty(protocol.Priorities!);
        Assert.False(protocol.DrawNeeded);
        Assert.All(["P-1", "P-2", "P-3", "P-5"], id => Assert.Equal((1.0, Grants.Domain.Allocation.ProRata.Granted), (chances[id].P, chances[id].Method)));
        Assert.Equal((0.0, Grants.Domain.Allocation.ProRata.BelowMinimum), (chances["P-4"].P, chances["P-4"].Method));
        Assert.Equal("every request kept is granted in full", protocol.Lines!.Single(l => l.Stratum == "industry").Why);
        Assert.Equal(["P-1", "P-2", "P-3", "P-5"], protocol.InitiallySelected());
    }

    [Fact]
    public void AProRataProtocolWithAnotherShareASeedOrAnotherMinimumDoesNotVerify()
    {
        var protocol = ProRata();
        var moreForOne = protocol with { Shares = [.. protocol.Shares!.Select(s => s.Id == "P-2" ? s with { Granted = 25_000_00 } : s)] };
        var seeded = protocol with { Seeds = [new string('0', 64)], Commitments = [LotteryDraw.Commitment(new byte[32])] };
        var lowerMinimum = protocol with { Design = protocol.Design with { MinimumGrant = 3_000_00 } };
        var withoutShares = protocol with { Shares = null };

        Assert.Equal("shares[1]: recomputed P-2 granted 2400000, published P-2 granted 2500000", LotteryVerifier.Verify(moreForOne).FirstMismatch);
        Assert.StartsWith("seeds: pro rata draws nothing and takes no seeds", LotteryVerifier.Verify(seeded).FirstMismatch);
        Assert.Equal("order: 4 entries for 5 in the order", LotteryVerifier.Verify(lowerMinimum).FirstMismatch);
        Assert.True(LotteryVerifier.Verify(withoutShares).Invalid);
    }

    [Fact]
    public void EveryMethodsProtocolVerifiesAndSurvivesItsJson()
    {
        foreach (var protocol in new[] { FirstComeFirstServed(), RankedTender(), PartialRandomisation(), ProRata() })
        {
            Assert.Empty(protocol.Problems());
            Assert.Equal(ProtocolVerification.Ok, LotteryVerifier.Verify(protocol));
            Assert.Equal(ProtocolVerification.Ok, LotteryVerifier.Verify(LotteryProtocol.FromJson(protocol.ToJson())));
        }
    }

    [Fact]
    public void MovingAnApplicationToAnEarlierDayOrChangingAScoreDoesNotVerify()
    {
        var fcfs = FirstComeFirstServed();
        var earlier = fcfs with { Priorities = [.. fcfs.Priorities!.Select(p => p.Id == "P-c2" ? p with { CompletedAt = "2026-03-02T08:30:00.000Z" } : p)] };
        var tender = RankedTender();
        var rescored = tender with { Priorities = [.. tender.Priorities!.Select(p => p.Id == "P-05" ? p with { Score = 8.001m } : p)] };

        Assert.StartsWith("order[", LotteryVerifier.Verify(earlier).FirstMismatch);
        Assert.StartsWith("order[", LotteryVerifier.Verify(rescored).FirstMismatch);
    }

    [Fact]
    public void PrioritiesOfAnotherFormOrForAnotherMethodDoNotVerify()
    {
        var fcfs = FirstComeFirstServed();

        var withOffset = fcfs with { Priorities = [.. fcfs.Priorities!.Select((p, i) => i == 0 ? p with { CompletedAt = "2026-03-02T09:01:00.000+01:00" } : p)] };
        var asTender = fcfs with { Design = fcfs.Design with { Method = AllocationMethod.RankedTender } };
        var oneMissing = fcfs with { Priorities = [.. fcfs.Priorities!.Skip(1)] };
        var turnedDown = fcfs with { Excluded = ["P-c2"] };

        Assert.StartsWith("priorities[0]: fcfs-day needs completedAt in the form", LotteryVerifier.Verify(withOffset).FirstMismatch);
        Assert.StartsWith("priorities[0]: ranked-tender needs a score", LotteryVerifier.Verify(asTender).FirstMismatch);
        Assert.StartsWith("priorities: 14 for a pool of 15", LotteryVerifier.Verify(oneMissing).FirstMismatch);
        Assert.StartsWith("excluded[0]: recomputed nothing more", LotteryVerifier.Verify(turnedDown).FirstMismatch);
    }

    [Fact]
    public void AProtocolMustUseThePrioritiesAnnouncedWithThePool()
    {
        var protocol = FirstComeFirstServed();
        var announced = new AnnouncedPool(protocol.PoolHash, protocol.Pool.Count, protocol.Design, Opening.AddDays(3), AllocationPriorities.Hash(protocol.Priorities!));
        var commitment = new AnnouncedCommitment(1, 0, "ministry", protocol.Commitments[0], Opening.AddDays(-1));
        var plan = new AnnouncedAnalysisPlan(Builders.PlanHash, Builders.Esf2008().EffectiveAnalysisPlan, Opening.AddDays(-2));
        LotteryAnnouncements With(AnnouncedPool pool) => new(LotteryAnnouncements.CurrentSchemaVersion, protocol.RoundId, [commitment], pool, [], plan);

        Assert.Equal(ProtocolVerification.Ok, LotteryVerifier.VerifyAgainst(protocol, With(announced)));
        Assert.StartsWith("priorities: they hash to", LotteryVerifier.VerifyAgainst(protocol, With(announced with { PrioritiesHash = new string('0', 64) })).FirstMismatch);
        Assert.Equal("priorities: none were announced with the pool before the draw", LotteryVerifier.VerifyAgainst(protocol, With(announced with { PrioritiesHash = null })).FirstMismatch);
        Assert.StartsWith("design.method: the protocol has fcfs-day, the announced design the lottery", LotteryVerifier.VerifyAgainst(protocol, With(announced with { Design = protocol.Design with { Method = null } })).FirstMismatch);
    }
}

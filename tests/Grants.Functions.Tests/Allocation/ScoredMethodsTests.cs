using System.Net;
using System.Security.Cryptography;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Domain.Allocation;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Allocation;

/// <summary>
/// The methods that rank by the committee's scores (docs/allocation.md), through the API from opening to awards: the
/// committee scores every eligible application first, the pool freezes with the scores, and only the tie at the funding
/// line (a tender) or the band (partial randomisation) is drawn. Each test checks the stated chances against every order
/// of the drawn group, enumerated here, and awards the selected.
/// </summary>
public sealed class ScoredMethodsTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CriterionDto[] Criteria = [new("quality", "Quality of the plan", 1, 5, 1)];

    private sealed record Scored(ApplicationResponse Application, long Amount, int First, int Second);

    [Fact]
    public async Task ARankedTenderFundsDownTheRankingAndDrawsOnlyTheTieAtTheFundingLine()
    {
        // Ranking: 5.0 (80,000); 4.0 twice (60,000 each) for the 90,000 left: the tie is drawn, one of them funded; 3.5 and 3.0 wait.
        var (round, ministry, scored, seed) = await AssessedRoundAsync(AllocationMethod.RankedTender, null, 170_000_00,
            (80_000_00, 5, 5), (60_000_00, 4, 4), (60_000_00, 4, 4), (50_000_00, 3, 4), (40_000_00, 3, 3));

        var (protocol, unit) = await DrawAsync(round, ministry, seed);
        var chance = protocol.Probabilities.ToDictionary(p => p.Id, p => p.P);

        Assert.Equal(AllocationMethod.RankedTender, protocol.Design.Method);
        Assert.Equal(["5.000", "4.000", "4.000", "3.500", "3.000"], scored.Select(s => protocol.Priorities!.Single(p => p.Id == unit[s.Application.Id]).Score!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([1.0, 0.5, 0.5, 0.0, 0.0], scored.Select(s => chance[unit[s.Application.Id]]));
        Assert.Equal([1.0, 0.5, 0.5], EveryOrder.Chances([80_000_00, 60_000_00, 60_000_00], 170_000_00, drawn: [1, 2]).Take(3));
        Assert.Equal("the budget is exceeded at score 4.000: 2 applications are drawn for the 9000000 cents left", Assert.Single(protocol.Lines!).Why);
        await AwardSelectedAsync(ministry, scored, protocol, unit, expected: 2);
    }

    [Fact]
    public async Task PartialRandomisationFundsTheBestDrawsTheBandAndTurnsDownTheRest()
    {
        // Band 3.5 to below 4.5: 5.0 funded (50,000); 4.0, 4.0 and 3.5 drawn for the 100,000 left; 3.0 turned down.
        var (round, ministry, scored, seed) = await AssessedRoundAsync(AllocationMethod.PartialRandomisation, new RandomisationBandDto(Upper: 4.5m, Lower: 3.5m), 150_000_00,
            (50_000_00, 5, 5), (60_000_00, 4, 4), (40_000_00, 4, 4), (50_000_00, 3, 4), (30_000_00, 3, 3));

        var (protocol, unit) = await DrawAsync(round, ministry, seed);
        var chance = protocol.Probabilities.ToDictionary(p => p.Id, p => p.P);
        var exact = EveryOrder.Chances([60_000_00, 40_000_00, 50_000_00], 100_000_00, drawn: [0, 1, 2]);

        Assert.Equal(1.0, chance[unit[scored[0].Application.Id]]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(exact[i], chance[unit[scored[i + 1].Application.Id]], 12);
        }

        Assert.Equal([unit[scored[4].Application.Id]], protocol.Excluded);
        Assert.Equal(0.0, chance[unit[scored[4].Application.Id]]);
        Assert.DoesNotContain(protocol.Order, o => o.Id == unit[scored[4].Application.Id]);
        var turnedDown = await new LotteryScenario(api).Read(ministry, scored[4].Application.Id);
        Assert.Equal(("NotSelected", "turned-down", null), (turnedDown.Status, turnedDown.Outcome!.Result, turnedDown.Outcome.Rank));
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        var letter = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(turnedDown.OrganisationKvk)) && m.Subject?.StartsWith("Uitslag verdeling", StringComparison.Ordinal) == true);
        Assert.EndsWith("komt niet in aanmerking", letter.Subject, StringComparison.Ordinal);
        Assert.Contains("scoorde onder de band", letter.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("loting van het tijdvak", letter.TextBody, StringComparison.Ordinal);
        Assert.Contains("bezwaar maken", letter.TextBody, StringComparison.Ordinal);
        await AwardSelectedAsync(ministry, scored, protocol, unit, expected: protocol.Selected.Count);

        // A top-up selects the rest of the band in drawn order, and never reaches the one turned down below it.
        var topUp = await ministry.PostAsync($"api/rounds/{round.Id}/budget/top-ups", HttpAssertions.Json(new TopUpRequest(100_000_00, "Extra funds", ConfirmSmallControlGroup: true)), Ct);
        var moved = await topUp.ReadAsync<CutoffChangeResponse>(HttpStatusCode.Accepted);
        Assert.Equal(protocol.Reserve, moved.NewlySelected);
        Assert.DoesNotContain(unit[scored[4].Application.Id], moved.NewlySelected);
        var reverified = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(reverified.Verified, reverified.FirstMismatch);

        // It objects, and the objection is upheld: it goes on to the award path, outside the published order, whose
        // protocol is unchanged (its chance stays 0, so the evaluation leaves it out).
        using (var objecting = api.As(Roles.Applicant, organisation: turnedDown.OrganisationKvk))
        {
            await LotteryScenario.Ok(objecting.PostAsync($"api/applications/{turnedDown.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("Our second assessor scored the wrong plan.")), Ct));
        }

        var upheld = await (await ministry.PostAsync($"api/applications/{turnedDown.Id}/objection/decision",
            HttpAssertions.Json(new DecideObjectionRequest(true, "The second sheet scored another plan; rescored, it is in the band.")), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Selected", upheld.Status);
        var after = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(after.Verified, after.FirstMismatch);
        Assert.DoesNotContain(unit[turnedDown.Id], (await Lottery.LotteryScenario.PublishedProtocolAsync(ministry, round.Id)).Selected);
    }

    /// <summary>
    /// A tender with the budget divided by sector: each sector is ranked on its own, its own tie drawn; a top-up of one sector
    /// moves down that sector's ranking only (to the first that does not fit), and the new protocol verifies.
    /// </summary>
    [Fact]
    public async Task AStratifiedTenderRanksEachSectorOnItsOwnAndATopUpMovesDownOneSectorsRanking()
    {
        // care (100,000): 5.0 (50,000), then 4.0 twice (40,000 each) for the 50,000 left: drawn. industry (60,000): 4.5 (60,000), then 3.0 (30,000) waits.
        var (round, ministry, scored, seed) = await AssessedRoundAsync(AllocationMethod.RankedTender, null, 160_000_00,
            new Dictionary<string, long> { ["care"] = 100_000_00, ["industry"] = 60_000_00 },
            [(50_000_00, 5, 5, "care"), (40_000_00, 4, 4, "care"), (40_000_00, 4, 4, "care"), (60_000_00, 5, 4, "industry"), (30_000_00, 3, 3, "industry")]);

        var (protocol, unit) = await DrawAsync(round, ministry, seed);
        var chance = protocol.Probabilities.ToDictionary(p => p.Id, p => p.P);

        Assert.Equal([1.0, 0.5, 0.5, 1.0, 0.0], scored.Select(s => chance[unit[s.Application.Id]]));
        Assert.Equal(["care", "industry"], protocol.Lines!.Select(l => l.Stratum));
        Assert.Equal("the budget is exceeded at score 4.000: 2 applications are drawn for the 5000000 cents left", protocol.Lines![0].Why);
        Assert.Equal("the budget is exceeded at score 3.000: 1 application is drawn for the 0 cents left", protocol.Lines![1].Why);
        var careReserve = protocol.Reserve.Single(id => id == unit[scored[1].Application.Id] || id == unit[scored[2].Application.Id]);

        // A top-up of industry reaches industry's next, not care's: the cut-off moves down one stratum's ranking.
        var topUp = await ministry.PostAsync($"api/rounds/{round.Id}/budget/top-ups",
            HttpAssertions.Json(new TopUpRequest(30_000_00, "Extra for industry", Stratum: "industry", ConfirmSmallControlGroup: true)), Ct);
        var moved = await topUp.ReadAsync<CutoffChangeResponse>(HttpStatusCode.Accepted);
        Assert.Equal([unit[scored[4].Application.Id]], moved.NewlySelected);
        var verified = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(verified.Verified, verified.FirstMismatch);
        var after = await Lottery.LotteryScenario.PublishedProtocolAsync(ministry, round.Id);
        Assert.Equal([careReserve], after.Reserve);
        await AwardSelectedAsync(ministry, scored, after, unit, expected: 4);
    }

    /// <summary>A round of the method, open, with a seed committed; five applications submitted, found eligible, scored by two members as given and advised on; the pool frozen.</summary>
    private Task<(RoundResponse Round, HttpClient Ministry, List<Scored> Scored, byte[] Seed)> AssessedRoundAsync(
        string method, RandomisationBandDto? band, long ceiling, params (long Amount, int First, int Second)[] applications) =>
        AssessedRoundAsync(method, band, ceiling, null, [.. applications.Select(a => (a.Amount, a.First, a.Second, "industry"))]);

    /// <summary>As above, the budget divided by sector when <paramref name="sectorBudgets"/> are given, each applicant of its sector.</summary>
    private async Task<(RoundResponse Round, HttpClient Ministry, List<Scored> Scored, byte[] Seed)> AssessedRoundAsync(
        string method, RandomisationBandDto? band, long ceiling, IReadOnlyDictionary<string, long>? sectorBudgets, (long Amount, int First, int Second, string Sector)[] applications)
    {
        var round = await api.OpenRoundAsync(adjust: c => c with
        {
            BudgetCeilingCents = ceiling,
            MaxPerApplicationCents = 120_000_00,
            Allocation = new AllocationDesignDto(Strata: sectorBudgets is null ? "none" : "sector", StratumBudgets: sectorBudgets, Method: method, Band: band),
            Eligibility = sectorBudgets is null ? c.Eligibility : new EligibilityRulesDto(Sectors: [.. sectorBudgets.Keys]),
        });
        Assert.Equal(("stop", "assess-then-lottery"), (round.Configuration.Allocation!.Rule, round.Configuration.Allocation.Order));
        var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var seed = RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct));
        var scored = new List<Scored>();
        foreach (var (amount, first, second, sector) in applications)
        {
            using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk(), sector);
            scored.Add(new Scored(await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: amount)), amount, first, second));
        }

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        foreach (var s in scored)
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{s.Application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));
        }

        var suffix = Guid.NewGuid().ToString("N")[..6];
        await LotteryScenario.Ok(ministry.PutAsync($"api/rounds/{round.Id}/committee",
            HttpAssertions.Json(new SetCommitteeRequest($"chair-{suffix}", [$"anna-{suffix}", $"bram-{suffix}"], Criteria, 3.0)), Ct));
        await (await ministry.PostAsync($"api/rounds/{round.Id}/assessments/assign", null, Ct)).ReadFinishedOperationAsync(ministry);
        using var anna = api.As(Roles.Assessor, subject: $"anna-{suffix}");
        using var bram = api.As(Roles.Assessor, subject: $"bram-{suffix}");
        using var chair = api.As(Roles.Assessor, subject: $"chair-{suffix}");
        foreach (var s in scored)
        {
            foreach (var (member, score) in new[] { (anna, s.First), (bram, s.Second) })
            {
                await LotteryScenario.Ok(member.PostAsync($"api/assessments/assessment-{s.Application.Id}/scores",
                    HttpAssertions.Json(new SubmitScoresRequest([new ScoreDto("quality", score, "Judged on the plan's milestones.")])), Ct));
            }

            await LotteryScenario.Ok(chair.PostAsync($"api/assessments/assessment-{s.Application.Id}/advice", HttpAssertions.Json(new AdviceRequest(true, "Fundable.")), Ct));
        }

        await (await ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Accepted);
        return (round, ministry, scored, seed);
    }

    private static async Task<(LotteryProtocol Protocol, Dictionary<string, string> Unit)> DrawAsync(RoundResponse round, HttpClient ministry, byte[] seed)
    {
        await LotteryScenario.Ok(LotteryScenario.Reveal(ministry, round.Id, seed));
        await (await ministry.PostAsync($"api/rounds/{round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(ministry);
        var protocol = LotteryProtocol.FromJson(await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct));
        var verification = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(verification.Verified, verification.FirstMismatch);
        var pool = await (await ministry.GetAsync($"api/rounds/{round.Id}/pool", Ct)).ReadAsync<PoolResponse>();
        return (protocol, pool.Entries.ToDictionary(e => e.ApplicationId, e => e.Id));
    }

    /// <summary>The selected are told so, and each is awarded what it asked, within the ceiling.</summary>
    private async Task AwardSelectedAsync(HttpClient ministry, List<Scored> scored, LotteryProtocol protocol, Dictionary<string, string> unit, int expected)
    {
        var selected = scored.Where(s => protocol.Selected.Contains(unit[s.Application.Id])).ToList();
        Assert.Equal(expected, selected.Count);
        var scenario = new LotteryScenario(api);
        foreach (var s in selected)
        {
            Assert.Equal("Selected", (await scenario.Read(ministry, s.Application.Id)).Status);
            await scenario.AwardAsync(s.Application);
            Assert.Equal("Awarded", (await scenario.Read(ministry, s.Application.Id)).Status);
        }
    }
}

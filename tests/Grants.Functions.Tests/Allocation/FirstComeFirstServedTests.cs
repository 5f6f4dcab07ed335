using System.Net;
using System.Security.Cryptography;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Domain.Allocation;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Allocation;

/// <summary>
/// First come, first served by day of receipt (docs/allocation.md), through the API from opening to awards: applications
/// complete on three days, the budget runs out on the second, which is drawn; the protocol states every chance and
/// verifies, and the chances are those of every possible order of the drawn day, enumerated here.
/// </summary>
public sealed class FirstComeFirstServedTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EarlierDaysAreFundedTheDayTheBudgetRunsOutIsDrawnAndLaterDaysWaitWithTheirChancesStated()
    {
        // Noon in Amsterdam, so that no day boundary falls between one day's applications.
        var local = AmsterdamTime.ToLocal(api.Clock.GetUtcNow());
        api.Advance(local.Date.AddDays(1).AddHours(12) - local);
        var round = await api.OpenRoundAsync(closesIn: TimeSpan.FromDays(5), adjust: c => c with
        {
            BudgetCeilingCents = 300_000_00,
            MaxPerApplicationCents = 120_000_00,
            Allocation = new AllocationDesignDto(Method: AllocationMethod.FirstComeFirstServedByDay),
        });
        Assert.Equal(("stop", "lottery-then-assess"), (round.Configuration.Allocation!.Rule, round.Configuration.Allocation.Order));
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var seed = RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct));

        var firstDay = await SubmitAsync(round.Id, 60_000_00, 80_000_00);
        api.Advance(TimeSpan.FromDays(1));
        var drawnDayDate = DateOnly.FromDateTime(AmsterdamTime.ToLocal(api.Clock.GetUtcNow()));
        long[] drawnDayAmounts = [95_000_00, 110_000_00, 45_000_00, 120_000_00];
        var drawnDay = await SubmitAsync(round.Id, drawnDayAmounts);
        api.Advance(TimeSpan.FromDays(1));
        var lastDay = await SubmitAsync(round.Id, 20_000_00);

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        foreach (var application in firstDay.Concat(drawnDay).Concat(lastDay))
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));
        }

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct));

        // Before the draw, the methods compared on this pool: a lottery would randomise all seven, this method the drawn day's four.
        var power = await (await ministry.GetAsync($"api/rounds/{round.Id}/evaluation/power?bandSize=4", Ct)).ReadAsync<Grants.Contracts.Evaluation.PowerPlanResponse>();
        var methods = power.Methods.ToDictionary(m => m.Method);
        Assert.Equal(AllocationMethod.All, power.Methods.Select(m => m.Method));
        Assert.Equal((7, 4), (methods[AllocationMethod.Lottery].Randomised, methods[AllocationMethod.FirstComeFirstServedByDay].Randomised));
        Assert.Equal((1, 3), (methods[AllocationMethod.FirstComeFirstServedByDay].Winners, methods[AllocationMethod.FirstComeFirstServedByDay].Losers)); // 160,000 left, 92,500 on average
        Assert.Null(methods[AllocationMethod.RankedTender].Randomised); // no scores: nobody assessed before the draw
        Assert.Equal(4, methods[AllocationMethod.PartialRandomisation].Randomised);
        Assert.Equal((0, (double?)null), (methods[AllocationMethod.ProRata].Randomised, methods[AllocationMethod.ProRata].MinimumDetectableEffect));
        Assert.True(methods[AllocationMethod.Lottery].MinimumDetectableEffect < methods[AllocationMethod.PartialRandomisation].MinimumDetectableEffect
            || methods[AllocationMethod.PartialRandomisation].MinimumDetectableEffect is null);

        await LotteryScenario.Ok(LotteryScenario.Reveal(ministry, round.Id, seed));
        await (await ministry.PostAsync($"api/rounds/{round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(ministry);

        var protocol = LotteryProtocol.FromJson(await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct));
        var pool = await (await ministry.GetAsync($"api/rounds/{round.Id}/pool", Ct)).ReadAsync<PoolResponse>();
        var unit = pool.Entries.ToDictionary(e => e.ApplicationId, e => e.Id);
        var chance = protocol.Probabilities.ToDictionary(p => p.Id);

        Assert.Equal((LotteryProtocol.MethodSchemaVersion, AllocationMethod.FirstComeFirstServedByDay), (protocol.SchemaVersion, protocol.Design.Method));
        Assert.All(firstDay, a => Assert.Equal((1.0, AllocationDraw.Ahead), (chance[unit[a.Id]].P, chance[unit[a.Id]].Method)));
        Assert.All(lastDay, a => Assert.Equal((0.0, AllocationDraw.Behind), (chance[unit[a.Id]].P, chance[unit[a.Id]].Method)));
        var exact = EveryOrder.Chances(drawnDayAmounts, budget: 300_000_00 - 140_000_00, drawn: [0, 1, 2, 3]);
        for (var i = 0; i < drawnDay.Count; i++)
        {
            Assert.Equal(exact[i], chance[unit[drawnDay[i].Id]].P, 12);
        }

        Assert.Equal($"the budget is exceeded at day of receipt {drawnDayDate:yyyy-MM-dd}: 4 applications are drawn for the 16000000 cents left", Assert.Single(protocol.Lines!).Why);
        var verification = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(verification.Verified, verification.FirstMismatch);

        // Who is told what: the first day selected, the last day on the reserve list though its request would fit what is left.
        var statuses = new Dictionary<string, string>();
        foreach (var application in firstDay.Concat(drawnDay).Concat(lastDay))
        {
            statuses[application.Id] = (await (await ministry.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Status;
        }

        Assert.All(firstDay, a => Assert.Equal("Selected", statuses[a.Id]));
        Assert.Equal("Reserve", statuses[lastDay[0].Id]);
        Assert.Equal(protocol.Selected.Count, statuses.Values.Count(s => s == "Selected"));

        // The evaluation compares only the drawn day, and says so.
        var report = await (await ministry.GetAsync($"api/rounds/{round.Id}/evaluation", Ct)).ReadAsync<System.Text.Json.JsonElement>();
        var allocation = report.GetProperty("allocation");
        Assert.Equal((4, 3), (allocation.GetProperty("randomised").GetInt32(), allocation.GetProperty("leftOut").GetInt32()));
        Assert.Equal("Allocated by first come, first served by day of receipt: only the applications of the day the budget ran out were drawn, so only those 4 are compared; "
            + "3 funded on an earlier day or not reached on a later one, whatever the draw, are left out.", allocation.GetProperty("statement").GetString());
        Assert.Equal(3, report.GetProperty("consort").GetProperty("notRandomised").GetInt32());

        // Down the order to the awards: the committee assesses the selected as the order reaches them, and each is awarded.
        var scenario = new LotteryScenario(api);
        foreach (var application in firstDay.Concat(drawnDay).Where(a => statuses[a.Id] == "Selected"))
        {
            await scenario.AwardAsync(application);
            Assert.Equal("Awarded", (await scenario.Read(ministry, application.Id)).Status);
        }

        // A top-up moves the cut-off down the same order: the drawn day's rest in drawn order, then the last day in order of receipt.
        var topUp = await ministry.PostAsync($"api/rounds/{round.Id}/budget/top-ups", HttpAssertions.Json(new TopUpRequest(400_000_00, "Extra funds", ConfirmSmallControlGroup: true)), Ct);
        var moved = await topUp.ReadAsync<CutoffChangeResponse>(HttpStatusCode.Accepted);
        Assert.Equal(protocol.Reserve, moved.NewlySelected);
        Assert.Equal(unit[lastDay[0].Id], moved.NewlySelected[^1]);
        Assert.Equal("Selected", (await scenario.Read(ministry, lastDay[0].Id)).Status);
        var reverified = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(reverified.Verified, reverified.FirstMismatch);
    }

    [Fact]
    public async Task AConfigurationWhoseRuleOrOrderContradictsTheMethodIsRefused()
    {
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var (scheme, _) = await ministry.CreateAsync();
        foreach (var (allocation, field) in new[]
        {
            (new AllocationDesignDto(Rule: "skip", Method: AllocationMethod.FirstComeFirstServedByDay), "allocation.rule"),
            (new AllocationDesignDto(Order: "assess-then-lottery", Method: AllocationMethod.FirstComeFirstServedByDay), "allocation.order"),
            (new AllocationDesignDto(Method: AllocationMethod.PartialRandomisation), "allocation.band"),
            (new AllocationDesignDto(Method: AllocationMethod.RankedTender, Band: new RandomisationBandDto(Size: 4)), "allocation.band"),
            (new AllocationDesignDto(Method: AllocationMethod.ProRata), "allocation.minimumGrantCents"),
            (new AllocationDesignDto(Method: AllocationMethod.ProRata, MinimumGrantCents: 500_000_00), "allocation.minimumGrantCents"),
            (new AllocationDesignDto(MinimumGrantCents: 10_000_00), "allocation.minimumGrantCents"),
        })
        {
            var configuration = GrantBuilders.Esf2008(api.Clock, allocation: allocation);
            var response = await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest("Refused", configuration)), Ct);
            var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
            Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.EndsWith(field, StringComparison.Ordinal)), $"{allocation}: {problem}");
        }
    }

    private async Task<List<ApplicationResponse>> SubmitAsync(string roundId, params long[] amounts)
    {
        var submitted = new List<ApplicationResponse>();
        foreach (var amount in amounts)
        {
            using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
            submitted.Add(await applicant.SubmittedAsync(roundId, GrantBuilders.Content(amountCents: amount)));
        }

        return submitted;
    }
}

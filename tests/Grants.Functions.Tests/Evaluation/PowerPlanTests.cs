using System.Net;
using Grants.Contracts.Evaluation;
using Grants.Evaluation.Planning;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Evaluation;

/// <summary>Ministry staff see what a round's evaluation can detect, before the draw from planned figures and after the freeze from the pool.</summary>
public sealed class PowerPlanTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BeforeTheDrawThePlanUsesTheCeilingAndThePlannedPool()
    {
        // ESF-E 2008: €7m ceiling, 265 applicants asking €60k on average, a third going ahead anyway, 80% answering.
        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");

        var plan = await (await ministry.GetAsync($"api/rounds/{round.Id}/evaluation/power?poolSize=265&meanAmountCents=6000000&baseline=0.3333&responseRate=0.8", Ct)).ReadAsync<PowerPlanResponse>();

        var expected = Power.Plan(265, 7_000_000_00m, 60_000_00m, 0.3333, 0.8);
        Assert.Equal("planned", plan.Source);
        Assert.Equal((116, 149, 92, 119), (plan.Winners, plan.Losers, plan.RespondingWinners, plan.RespondingLosers));
        Assert.Equal(expected.Mde!.Value, plan.MinimumDetectableEffect!.Value, 12);
        Assert.InRange(plan.MinimumDetectableEffect.Value, 0.18, 0.19); // ≈ 18.3 points
    }

    [Fact]
    public async Task AfterTheFreezeThePoolGivesSizeAndMeanAmount()
    {
        var drawn = await new LotteryScenario(api).FrozenRoundAsync();

        var plan = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/evaluation/power", Ct)).ReadAsync<PowerPlanResponse>();

        Assert.Equal("frozen pool", plan.Source);
        Assert.Equal(6, plan.PoolSize);
        Assert.Equal(85_000_00, plan.MeanAmountCents); // (120 + 95 + 110 + 60 + 80 + 45) / 6 thousand euro
        Assert.Equal(3, plan.Winners);                  // €300k ceiling / €85k
        Assert.Equal(Power.MinimumDetectableEffect(3, 3), plan.MinimumDetectableEffect);
    }

    [Fact]
    public async Task WithoutAPoolThePlannedFiguresAreRequiredAndBadFiguresAreRefused()
    {
        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");

        var missing = await (await ministry.GetAsync($"api/rounds/{round.Id}/evaluation/power", Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.True(missing.GetProperty("errors").TryGetProperty("poolSize", out _));

        var bad = await (await ministry.GetAsync($"api/rounds/{round.Id}/evaluation/power?poolSize=-3&meanAmountCents=0&baseline=1.5&responseRate=0&alpha=0.7&power=0.3", Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Equal(["alpha", "baseline", "meanAmountCents", "poolSize", "power", "responseRate"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task OnlyMinistryAndAuditorsMayAskAndUnknownRoundsAreNotFound()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        using var auditor = api.As(Roles.Auditor, subject: "auditdienst");
        var query = "evaluation/power?poolSize=100&meanAmountCents=5000000";

        await (await applicant.GetAsync($"api/rounds/{round.Id}/{query}", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"api/rounds/{round.Id}/{query}", Ct)).StatusCode);
        await (await auditor.GetAsync($"api/rounds/round-000000000000/{query}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}

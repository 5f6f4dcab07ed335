using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Audit;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Rounds;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// What ministry staff and applicants read in refusals and records: whole sentences with every value
/// filled in, articles that fit the word they stand before, and records that say what happened and who did it.
/// </summary>
public sealed class WordingTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddingFilesToAnEligibleApplicationIsRefusedInASentenceWithTheRightArticle()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var submitted = await applicant.SubmittedAsync(round.Id);
        using var ministry = api.As(Roles.Ministry);
        await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{submitted.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));

        var refused = await applicant.UploadAsync(submitted.Id, "project-plan", TestPdf.Create(10_000), "plan.pdf");

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal("Cannot add files to an application that is Eligible.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AwardOfNothingIsRefusedInASentenceThatNamesTheField()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [60_000_00]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));

        var refused = await drawn.Ministry.PostAsync($"api/applications/{drawn.Applications[0].Id}/award", HttpAssertions.Json(new AwardRequest(0)), Ct);

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.StartsWith("amountCents must be positive and at most", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(".", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitoringPageWritesEurosAsItsEnglishReadersDo()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_250_000_00, amounts: [60_000_00]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));

        var html = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/monitoring?format=html", Ct)).Content.ReadAsStringAsync(Ct);

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<td>€1,250,000</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManualCloseIsRecordedAsTheMinistryUsersWhoClosedIt()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var submitted = await applicant.SubmittedAsync(round.Id);
        using var ministry = api.As(Roles.Ministry, subject: "teamleider-subsidies");

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));

        using var auditor = api.As(Roles.Auditor);
        var roundTrail = await (await auditor.GetAsync($"api/audit/{round.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        var applicationTrail = await (await auditor.GetAsync($"api/audit/{submitted.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        var closing = roundTrail.Events.SkipWhile(e => e.Type != "RoundClosed").ToList();
        Assert.Equal(["RoundClosed", "ClosureNoticesSent"], closing.Select(e => e.Type));
        Assert.All(closing, e => Assert.Equal("teamleider-subsidies", e.Actor));
        Assert.Equal("teamleider-subsidies", applicationTrail.Events.Single(e => e.Type == "RoundClosedNoticeSent").Actor);
        Assert.DoesNotContain(roundTrail.Events.Concat(applicationTrail.Events), e => e.Actor == CloseDueRoundsHandler.SystemActor);
    }

    [Fact]
    public async Task VerifyingTheTrailOfSomethingThatDoesNotExistSaysThereIsNoTrail()
    {
        using var auditor = api.As(Roles.Auditor);

        var missing = await auditor.GetAsync("api/audit/round-000000000000/verify", Ct);

        var problem = await missing.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal("There is no audit trail for round-000000000000.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ReleaseInTheLedgerShowsTheAmountItReleased()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [120_000_00, 60_000_00]);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var rejected = drawn.Applications.Single(a => a.Content.RequestedAmountCents == 120_000_00);

        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/applications/{rejected.Id}/reject",
            HttpAssertions.Json(new RejectRequest(["assessment-negative"], "No employee involvement.")), Ct));

        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        var release = budget.Entries.Single(e => e.Kind == "release");
        Assert.Equal((rejected.Id, 120_000_00L), (release.Reference, release.Amount));
        Assert.Equal(120_000_00L, budget.ReleasedCents);
    }

    [Fact]
    public async Task RevealingBeforeTheFreezeSaysThePoolMustBeFrozenFirst()
    {
        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Roles.Ministry);
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct));
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));

        var early = await LotteryScenario.Reveal(ministry, round.Id, seed);

        var problem = await early.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal("Cannot reveal seeds for a round that is Closed: the pool must be frozen first.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TopUpThatWouldLeaveNoControlGroupSaysSoInWords()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(minimumControlGroup: 3);
        await scenario.RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var refused = await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/budget/top-ups",
            HttpAssertions.Json(new TopUpRequest(1_000_000_00, "Raise the budget so that every eligible application is funded")), Ct);

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, "control-group-too-small");
        Assert.Equal(
            "This leaves 0 control units (minimum 3): the evaluation could then detect no effect of the scheme at all. Confirm to go ahead.",
            problem.GetProperty("detail").GetString());
    }
}

using System.Net;
using System.Security.Cryptography;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Contracts.Monitoring;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Monitoring;

/// <summary>The monitoring figures of a round whose every step is known, against a count by hand.</summary>
public sealed class MonitoringTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheFiguresEqualAHandCount()
    {
        // Eight organisations ask €50,000 each for a €150,000 ceiling: whatever the draw, three are selected.
        var round = await api.OpenRoundAsync(adjust: c => c with { BudgetCeilingCents = 150_000_00, MaxPerApplicationCents = 120_000_00 });
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var seed = RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct));
        var applicants = new List<(string Kvk, ApplicationResponse Application)>();
        for (var i = 0; i < 8; i++)
        {
            var kvk = GrantBuilders.NewKvk();
            using var client = await api.RegisteredApplicantAsync(kvk, sector: i < 4 ? "industry" : "care", isPublic: i == 7);
            applicants.Add((kvk, await client.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: 50_000_00))));
        }

        HttpClient Applicant(string kvk) => api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");
        // One withdraws before the round closes; one is not eligible.
        await LotteryScenario.Ok(Applicant(applicants[7].Kvk).PostAsync($"api/applications/{applicants[7].Application.Id}/withdraw", HttpAssertions.Json(new WithdrawApplicationRequest("Project postponed")), Ct));
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{applicants[6].Application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("ineligible", ["outside-themes"])), Ct));
        foreach (var (_, application) in applicants.Take(6))
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));
        }

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct));
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/reveals", HttpAssertions.Json(new RevealSeedRequest(Convert.ToHexStringLower(seed))), Ct));
        var status = await (await ministry.PostAsync($"api/rounds/{round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(ministry);
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("small pool")), Ct));
        }

        var selected = new List<(string Kvk, ApplicationResponse Application)>();
        foreach (var (kvk, application) in applicants.Take(6))
        {
            var current = await (await ministry.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>();
            if (current.Status == "Selected")
            {
                selected.Add((kvk, current));
            }
        }

        Assert.Equal(3, selected.Count);
        // The first accepts its award, the second declines, the third is rejected: the two declined or
        // rejected places go to the first two on the reserve list.
        await new LotteryScenario(api).AssessAsync(round.Id, [.. selected.Take(2).Select(s => s.Application.Id)]);
        foreach (var (_, application) in selected.Take(2))
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{application.Id}/award", HttpAssertions.Json(new AwardRequest(50_000_00)), Ct));
        }

        await LotteryScenario.Ok(Applicant(selected[0].Kvk).PostAsync($"api/applications/{selected[0].Application.Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(true)), Ct));
        await LotteryScenario.Ok(Applicant(selected[1].Kvk).PostAsync($"api/applications/{selected[1].Application.Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(false)), Ct));
        await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{selected[2].Application.Id}/reject", HttpAssertions.Json(new RejectRequest(["assessment-negative"], "Too thin.")), Ct));

        var figures = await (await ministry.GetAsync($"api/rounds/{round.Id}/monitoring", Ct)).ReadAsync<MonitoringResponse>();

        // By hand: 8 submitted, 6 eligible and in the pool, 3 selected + 2 from the reserve, 2 awarded,
        // 1 accepted, 1 declined, 1 rejected, 1 withdrawn.
        Assert.Equal(new FunnelResponse(Applications: 8, Eligible: 6, InPool: 6, Selected: 5, Awarded: 2, Accepted: 1, Declined: 1, Rejected: 1, Withdrawn: 1), figures.Funnel);
        // Budget: €50k committed to the acceptance, €100k reserved for the two from the reserve list, nothing left.
        Assert.Equal((150_000_00L, 100_000_00L, 50_000_00L, 0L, 0L, true),
            (figures.Budget.CeilingCents, figures.Budget.ReservedCents, figures.Budget.CommittedCents, figures.Budget.PaidCents, figures.Budget.AvailableCents, figures.Budget.Reconciles));
        Assert.Equal(0, figures.Vouchers.Issued);
        var bySector = figures.Breakdowns.Where(b => b.Dimension == "sector").ToDictionary(b => b.Key, b => b.Funnel);
        Assert.Equal((4, 4), (bySector["industry"].Applications, bySector["care"].Applications));
        Assert.Equal(figures.Funnel, Grants.Functions.Monitoring.MonitoringFigures.Sum(bySector.Values));
        var ownership = figures.Breakdowns.Where(b => b.Dimension == "ownership").ToDictionary(b => b.Key, b => b.Funnel);
        Assert.Equal((7, 1, 1), (ownership["private"].Applications, ownership["public"].Applications, ownership["public"].Withdrawn));
        Assert.Equal(8, figures.Breakdowns.Single(b => b.Dimension == "theme").Funnel.Applications);

        var csv = await (await ministry.GetAsync($"api/rounds/{round.Id}/monitoring?format=csv", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"round,{round.Id},all,all,selected,5", csv, StringComparison.Ordinal);
        Assert.Contains($"round,{round.Id},sector,care,applications,4", csv, StringComparison.Ordinal);
        var html = await (await ministry.GetAsync($"api/rounds/{round.Id}/monitoring?format=html", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ministry.GetAsync($"api/rounds/{round.Id}/monitoring?format=pdf", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Applicant(applicants[0].Kvk).GetAsync($"api/rounds/{round.Id}/monitoring", Ct)).StatusCode);

        var scheme = await (await ministry.GetAsync($"api/schemes/{round.SchemeId}/monitoring", Ct)).ReadAsync<MonitoringResponse>();
        Assert.Equal(figures.Funnel, scheme.Funnel);
        Assert.Equal([round.Id], scheme.Rounds);
    }

    [Fact]
    public void TheBudgetReconcilesOnlyWhenBalanceEntriesAndRecordsAgree()
    {
        var now = DateTimeOffset.UnixEpoch;
        Grants.Domain.Budget.LedgerEntry Entry(string kind, long amount) => new($"{kind}-{amount}", kind, "app-1", amount, "t", now, null);
        var entries = new[] { Entry("ceiling", 100_00), Entry("commit", 60_00), Entry("payment", 50_00), Entry("recovery", 10_00) };
        var balance = new Grants.Domain.Budget.LedgerBalance(100_00, 0, 20_00, 10_00, Paid: 40_00);

        Assert.True(Grants.Functions.Monitoring.MonitoringFigures.Budget(balance, entries, paidByRecords: 40_00).Reconciles);
        Assert.False(Grants.Functions.Monitoring.MonitoringFigures.Budget(balance, entries, paidByRecords: 50_00).Reconciles); // a record the ledger lacks
        Assert.False(Grants.Functions.Monitoring.MonitoringFigures.Budget(balance with { Paid = 45_00 }, entries, paidByRecords: 45_00).Reconciles); // a balance its entries do not add up to
    }
}

using System.Net;
using System.Net.Http.Headers;
using Grants.Contracts.Applications;
using Grants.Contracts.Execution;
using Grants.Contracts.Lottery;
using Grants.Contracts.Monitoring;
using Grants.Functions.Execution;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Execution;

/// <summary>A project subsidy from acceptance to settlement over HTTP on Azurite: advance, reports, a reminder and an overdue notice, settlement below the award with recovery, and a ledger that reconciles.</summary>
public sealed class ProjectSubsidyTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdvanceReportsAndASettlementBelowTheAwardRecoverTheDifferenceAndTheLedgerReconciles()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("small pool")), Ct));
        }

        HttpClient Ministry(string subject = "beleidsmedewerker") => api.As(Roles.Ministry, subject: subject);
        var chosen = await scenario.AwardFirstSelectedAsync(drawn.Applications);
        var award = chosen.Content.RequestedAmountCents;

        HttpClient Grantee() => api.As(Roles.Applicant, organisation: chosen.OrganisationKvk, subject: $"user-{chosen.OrganisationKvk}");
        await LotteryScenario.Ok(Grantee().PostAsync($"api/applications/{chosen.Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(true)), Ct));

        // Acceptance starts the grant: 80% in advance, a progress report halfway, the final report after the end.
        var grant = await (await Grantee().GetAsync($"api/applications/{chosen.Id}/grant", Ct)).ReadAsync<GrantResponse>();
        var advance = Assert.Single(grant.Advances);
        Assert.Equal(award * 8 / 10, advance.AmountCents);
        Assert.Equal(["progress", "final"], grant.Reports.Select(r => r.Kind));
        await LotteryScenario.Ok(Ministry().PostAsync($"api/grants/{grant.Id}/advances/{advance.Id}/pay", null, Ct));
        await (await Ministry().PostAsync($"api/grants/{grant.Id}/advances/{advance.Id}/pay", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");

        // The progress report on time; a stranger cannot submit for this grant.
        await LotteryScenario.Ok(Grantee().PutAsync($"api/grants/{grant.Id}/reports/progress", Pdf(), Ct));
        using var stranger = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsync($"api/grants/{grant.Id}/reports/final?actualCostsCents=1", Pdf(), Ct)).StatusCode);

        // Two weeks before the final deadline a reminder; after it, an overdue notice — each once.
        var finalDue = grant.Reports.Single(r => r.Kind == "final").DueAt;
        api.Advance(finalDue - TimeSpan.FromDays(13) - api.Clock.GetUtcNow());
        await api.FireAsync(nameof(WatchReportDeadlines));
        api.Advance(TimeSpan.FromDays(14));
        await api.FireAsync(nameof(WatchReportDeadlines));
        await api.FireAsync(nameof(WatchReportDeadlines));
        await api.FireAsync(nameof(RelayOutbox));
        var contact = GrantBuilders.ContactEmail(chosen.OrganisationKvk);
        await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == contact && (m.Subject ?? "").StartsWith("Herinnering: eindverslag", StringComparison.Ordinal));
        await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == contact && (m.Subject ?? "").StartsWith("Te laat: eindverslag", StringComparison.Ordinal));
        Assert.Single(api.Smtp.Messages, m => m.To.Mailboxes.Single().Address == contact && (m.Subject ?? "").StartsWith("Te laat", StringComparison.Ordinal));
        var overdue = await (await Grantee().GetAsync($"api/applications/{chosen.Id}/grant", Ct)).ReadAsync<GrantResponse>();
        Assert.True(overdue.Reports.Single(r => r.Kind == "final").Overdue);

        // The final report states costs of 60% of the award; the ministry settles there and recovers 20%.
        await (await Grantee().PutAsync($"api/grants/{grant.Id}/reports/final", Pdf(), Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var costs = award * 6 / 10;
        await LotteryScenario.Ok(Grantee().PutAsync($"api/grants/{grant.Id}/reports/final?actualCostsCents={costs}", Pdf(), Ct));
        var settled = await (await Ministry().PostAsync($"api/grants/{grant.Id}/settlement", HttpAssertions.Json(new SettleGrantRequest(costs)), Ct)).ReadAsync<GrantResponse>();
        Assert.Equal(("Settled", costs, award * 8 / 10 - costs, 0L), (settled.Status, settled.Settlement!.SettledCents, settled.Settlement.RecoveryCents, settled.Settlement.FinalPaymentCents));
        Assert.Equal(costs, settled.PaidCents);
        // Repeating the settlement is safe: the same costs book nothing twice; other costs are refused.
        Assert.Equal(costs, (await (await Ministry().PostAsync($"api/grants/{grant.Id}/settlement", HttpAssertions.Json(new SettleGrantRequest(costs)), Ct)).ReadAsync<GrantResponse>()).PaidCents);
        await (await Ministry().PostAsync($"api/grants/{grant.Id}/settlement", HttpAssertions.Json(new SettleGrantRequest(costs - 1)), Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        await (await Grantee().PutAsync($"api/grants/{grant.Id}/reports/progress", Pdf(), Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");

        // The ledger: what was paid is the settled amount; the rest of the award is back under the ceiling.
        var budget = await (await Ministry().GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(costs, budget.PaidCents);
        Assert.Contains(budget.Entries, e => e.Kind == "recovery" && e.Amount == award * 8 / 10 - costs);
        Assert.Equal(budget.CeilingCents, budget.AvailableCents + budget.ReservedCents + budget.CommittedCents + budget.PaidCents);
        var monitoring = await (await Ministry().GetAsync($"api/rounds/{drawn.Round.Id}/monitoring", Ct)).ReadAsync<MonitoringResponse>();
        Assert.True(monitoring.Budget.Reconciles);
        Assert.Equal(costs, monitoring.Budget.PaidCents);
    }

    private static ByteArrayContent Pdf()
    {
        var content = new ByteArrayContent(TestPdf.Create(30_000));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return content;
    }
}

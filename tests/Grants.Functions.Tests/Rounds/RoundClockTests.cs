using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Audit;
using Grants.Contracts.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Rounds;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Rounds;

/// <summary>What happens when time passes: closing times and information-request deadlines, on a host whose clock the test moves.</summary>
public sealed class RoundClockTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TimerClosesRoundAtItsClosingTimeAndTellsEveryApplicantOnce()
    {
        var round = await api.OpenRoundAsync(closesIn: TimeSpan.FromHours(2));
        var (submitter, drafter) = (GrantBuilders.NewKvk(), GrantBuilders.NewKvk());
        using var submitterClient = await api.RegisteredApplicantAsync(submitter, language: "en");
        using var drafterClient = await api.RegisteredApplicantAsync(drafter);
        var submitted = await submitterClient.SubmittedAsync(round.Id);
        var draft = await drafterClient.DraftAsync(round.Id);

        await api.FireAsync(nameof(CloseDueRounds));
        using var ministry = api.As(Roles.Ministry);
        Assert.Equal("Open", (await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>()).Status);

        api.Advance(TimeSpan.FromHours(2));
        await api.FireAsync(nameof(CloseDueRounds));
        await api.FireAsync(nameof(CloseDueRounds));

        var closed = await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>();
        Assert.Equal("Closed", closed.Status);
        await (await drafterClient.PostAsync($"api/applications/{draft.Id}/submit", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "round-not-open");
        await api.AwaitOperationAsync(CloseRoundHandler.NoticesOperationId(round.Id));
        await api.FireAsync(nameof(RelayOutbox));
        var notice = await api.Smtp.WaitForAsync(m => m.Subject == $"The round {round.Name} has closed" && m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(submitter)));
        Assert.Contains(submitted.ReceiptNumber!, notice.TextBody);
        await api.Smtp.WaitForAsync(m => m.Subject == $"Het tijdvak {round.Name} is gesloten" && m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(drafter)));
        Assert.Single(api.Smtp.Messages, m => m.Subject!.Contains(round.Name, StringComparison.Ordinal) && m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(drafter)));
    }

    /// <summary>
    /// Closing by hand as the closing time passes: the ministry's requests and the timer meet, and every one of them
    /// answers with the round as closed — none with a conflict — while the closure is recorded and announced once.
    /// </summary>
    [Fact]
    public async Task ClosingByHandAsTheTimerClosesAnswersEveryoneWithTheClosedRoundAndClosesOnce()
    {
        var round = await api.OpenRoundAsync(closesIn: TimeSpan.FromHours(1));
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        await applicant.SubmittedAsync(round.Id);
        api.Advance(TimeSpan.FromHours(1));
        using var ministry = api.As(Roles.Ministry);

        var byHand = Enumerable.Range(0, 6).Select(_ => ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct)).ToList();
        var byTimer = api.FireAsync(nameof(CloseDueRounds));
        await Task.WhenAll([.. byHand, byTimer]);

        foreach (var response in byHand)
        {
            Assert.Equal("Closed", (await (await response).ReadAsync<RoundResponse>(HttpStatusCode.Accepted)).Status);
        }

        Assert.Equal("Closed", (await (await ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Accepted)).Status);
        using var auditor = api.As(Roles.Auditor);
        var trail = await (await auditor.GetAsync($"api/audit/{round.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Single(trail.Events, e => e.Type == "RoundClosed");
        await api.FireAsync(nameof(RelayOutbox));
        await api.Smtp.WaitForAsync(m => m.Subject == $"Het tijdvak {round.Name} is gesloten" && m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk)));
        await api.FireAsync(nameof(RelayOutbox));
        Assert.Single(api.Smtp.Messages, m => m.Subject == $"Het tijdvak {round.Name} is gesloten" && m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk)));
    }

    [Fact]
    public async Task UnansweredInformationRequestExpiresIntoIneligible()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var submitted = await applicant.SubmittedAsync(round.Id);
        using var ministry = api.As(Roles.Ministry);
        var asked = await (await ministry.PostAsync($"api/applications/{submitted.Id}/information-requests",
            HttpAssertions.Json(new RequestInformationRequest("Stuur de getekende begroting.", api.Clock.GetUtcNow().AddDays(10))), Ct)).ReadAsync<ApplicationResponse>();

        api.Advance(TimeSpan.FromDays(9));
        await api.FireAsync(nameof(ExpireInformationRequests));
        Assert.Equal("InformationRequested", (await (await applicant.GetAsync($"api/applications/{submitted.Id}", Ct)).ReadAsync<ApplicationResponse>()).Status);

        api.Advance(TimeSpan.FromDays(2));
        await api.FireAsync(nameof(ExpireInformationRequests));

        var expired = await (await applicant.GetAsync($"api/applications/{submitted.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Ineligible", expired.Status);
        Assert.Equal(["information-not-supplied"], expired.Eligibility!.ReasonCodes);
        var late = await applicant.PostAsync($"api/applications/{submitted.Id}/information-requests/{asked.InformationRequests.Single().Id}/answer",
            HttpAssertions.Json(new InformationAnswerRequest("Te laat.")), Ct);
        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        await api.FireAsync(nameof(RelayOutbox));
        var letter = await api.Smtp.WaitForAsync(m => m.Subject == $"Uw aanvraag {submitted.ReceiptNumber} is niet ontvankelijk");
        Assert.Contains("De aanvullende informatie waar wij om vroegen, is niet op tijd ontvangen.", letter.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("information", letter.TextBody, StringComparison.OrdinalIgnoreCase);
    }
}

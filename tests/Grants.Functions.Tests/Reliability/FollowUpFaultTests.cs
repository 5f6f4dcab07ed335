using System.Net;
using System.Text.RegularExpressions;
using Grants.Contracts.FollowUp;
using Grants.Contracts.Lottery;
using Grants.Domain.Auditing;
using Grants.Domain.FollowUp;
using Grants.Functions.FollowUp;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// Follow-up answers under the same storage faults as <see cref="FaultInjectionTests"/>: respondents
/// save part of the questionnaire and then submit it, and send a form again when the page fails.
/// Every questionnaire ends submitted once, with exactly the answers sent. A host of its own, so
/// that no other test's surveys open with the wave.
/// </summary>
public sealed partial class FollowUpFaultTests(FaultyGrantsApi api) : IClassFixture<FaultyGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryQuestionnaireIsSubmittedOnceWithTheAnswersSent()
    {
        // Forty units, half funded; the first wave opens and every unit is invited.
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [.. Enumerable.Repeat(50_000_00L, 40)]);
        await scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("forty units")), Ct));
        }

        var surveys = await (await drawn.Ministry.GetAsync($"api/applications/{drawn.Applications[0].Id}/surveys", Ct)).ReadAsync<List<SurveyResponse>>();
        api.Advance(surveys.Single(s => s.Wave == 1).OpensAt - api.Clock.GetUtcNow() + TimeSpan.FromHours(1));
        await api.FireAsync(nameof(RunFollowUp));
        await api.FireAsync(nameof(RelayOutbox));
        var links = drawn.Applications.ToDictionary(a => a.Id, a => MailText.RespondLink().Match(api.Smtp.Messages
            .Single(m => m.To.Mailboxes.Single().Address == GrantBuilders.ContactEmail(a.OrganisationKvk) && MailText.RespondLink().IsMatch(m.TextBody ?? "")).TextBody!).Value.TrimStart('/'));

        // Under faults: save, then submit; a page that failed (5xx) is sent again.
        var spent = drawn.Applications.Select((a, i) => (a.Id, Amount: 10_000 + i)).ToDictionary(x => x.Id, x => x.Amount);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(string Id, HttpStatusCode Save, HttpStatusCode Submit, bool SubmitRetried)>();
        await api.UnderFaultsAsync(() => Parallel.ForEachAsync(drawn.Applications, new ParallelOptions { MaxDegreeOfParallelism = ReliabilitySize.InFlight, CancellationToken = Ct }, async (application, _) =>
        {
            using var browser = api.Anonymous();
            var link = links[application.Id];
            var saved = await browser.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, link) { Content = MailText.Form(("project", "smaller"), ("action", "save")) });
            var submitted = await browser.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, link)
            {
                Content = MailText.Form(("project", "smaller"), ("money_spent", spent[application.Id].ToString(System.Globalization.CultureInfo.InvariantCulture)), ("action", "submit")),
            });
            outcomes.Add((application.Id, saved.Status, submitted.Status, submitted.Attempts > 1));
        }), "40 questionnaires");

        // Each respondent was told it went through: 200, or — when the page failed after the answers
        // were stored — the "already submitted, thank you" page on sending it again.
        Assert.All(outcomes, o => Assert.Equal(HttpStatusCode.OK, o.Save));
        Assert.All(outcomes, o => Assert.True(o.Submit == HttpStatusCode.OK || (o.Submit == HttpStatusCode.Conflict && o.SubmitRetried), $"{o.Id}: {o.Submit}"));

        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        var stored = (await store.QueryAsync<SurveyData>(SurveyStore.AggregateType, $"ix_RoundId eq {drawn.Round.Id}", Ct)).Where(s => s.State.Wave == 1).ToList();
        Assert.Equal(40, stored.Count);
        foreach (var survey in stored)
        {
            Assert.Equal(SurveyStatus.Completed, survey.State.Status);
            var respondent = Assert.Single(survey.State.Respondents);
            Assert.Equal(spent[survey.State.ApplicationId].ToString(System.Globalization.CultureInfo.InvariantCulture), respondent.Answers["money_spent"]);
            Assert.Equal("1", respondent.Answers["project.smaller"]);
            var trail = await store.AuditTrailAsync(survey.Id, Ct);
            Assert.True(AuditChain.Verify(trail, survey.AuditSequence, survey.AuditHead).IsIntact, survey.Id);
            Assert.Single(trail, e => e.Type == "SurveySubmitted");
        }
    }
}

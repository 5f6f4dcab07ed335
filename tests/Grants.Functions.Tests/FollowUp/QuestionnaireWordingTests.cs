using System.Net;
using System.Text.RegularExpressions;
using Grants.Contracts.FollowUp;
using Grants.Contracts.Lottery;
using Grants.Functions.FollowUp;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.FollowUp;

/// <summary>
/// The questionnaire as a respondent meets it: the link in the invitation opens the page as mailed, and
/// an answer the page cannot take is explained in the page's language, without the codes behind it.
/// </summary>
public sealed partial class QuestionnaireWordingTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAnswerThePageCannotTakeIsExplainedInThePagesLanguage()
    {
        var link = await InvitationLinkAsync();
        using var browser = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link, Ct)).StatusCode);

        var dutch = await browser.PostAsync(link, MailText.Form(("money_spent", "veel"), ("start_month", "maart"), ("project", "not_at_all"), ("project", "smaller"), ("action", "save")), Ct);
        var english = await browser.PostAsync(link + "?lang=en", MailText.Form(("money_spent", "a lot"), ("action", "save")), Ct);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity), (dutch.StatusCode, english.StatusCode));
        var dutchPage = ErrorSummary(await dutch.Content.ReadAsStringAsync(Ct));
        var englishPage = ErrorSummary(await english.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Vul een bedrag in hele euro's in, alleen cijfers, of kies een van de andere antwoorden.", dutchPage, StringComparison.Ordinal);
        Assert.Contains("Vul jaar en maand in, bijvoorbeeld 2027-03, of kies een van de andere antwoorden.", dutchPage, StringComparison.Ordinal);
        Assert.Contains("'Niet doorgegaan' kunt u niet samen aankruisen met een manier waarop het project wel is doorgegaan.", dutchPage, StringComparison.Ordinal);
        Assert.Contains("Enter an amount in whole euros, digits only, or choose one of the other answers.", englishPage, StringComparison.Ordinal);
        Assert.All(new[] { dutchPage, englishPage }, summary =>
        {
            Assert.DoesNotContain("must be", summary, StringComparison.Ordinal);
            Assert.DoesNotContain("dont_know", summary, StringComparison.Ordinal);
        });
    }

    /// <summary>The page's list of what to check, as the respondent reads it.</summary>
    private static string ErrorSummary(string page) => WebUtility.HtmlDecode(ErrorList().Match(page).Value) is { Length: > 0 } summary
        ? summary
        : throw new InvalidOperationException("the page has no error summary");

    /// <summary>A published round's first wave opened; the whole link from the first applicant's invitation.</summary>
    private async Task<string> InvitationLinkAsync()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("small test pool")), Ct));
        }

        var application = drawn.Applications[0];
        var surveys = await (await drawn.Ministry.GetAsync($"api/applications/{application.Id}/surveys", Ct)).ReadAsync<List<SurveyResponse>>();
        api.Advance(surveys.Single(s => s.Wave == 1).OpensAt - api.Clock.GetUtcNow() + TimeSpan.FromHours(1));
        await api.FireAsync(nameof(RunFollowUp));
        await api.FireAsync(nameof(RelayOutbox));
        var invitation = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == GrantBuilders.ContactEmail(application.OrganisationKvk)
            && WholeLink().IsMatch(m.TextBody ?? string.Empty));
        return WholeLink().Match(invitation.TextBody!).Value;
    }

    [GeneratedRegex("<div class=\"errors\".*?</div>", RegexOptions.Singleline)]
    private static partial Regex ErrorList();

    [GeneratedRegex(@"\S+/api/respond/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]{43}")]
    private static partial Regex WholeLink();
}

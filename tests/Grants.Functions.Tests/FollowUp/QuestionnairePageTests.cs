using System.Net;
using Grants.Domain.FollowUp;
using Grants.Functions.FollowUp;

namespace Grants.Functions.Tests.FollowUp;

/// <summary>
/// The questionnaire page encodes whatever text it shows: a round's name (set by ministry staff) and what a
/// respondent typed come out as text, never as markup, so that nothing can smuggle a script or an attribute in.
/// </summary>
public sealed class QuestionnairePageTests
{
    private const string Hostile = "<script>alert('x')</script>\" onfocus=\"alert(1)";

    [Fact]
    public async Task TextFromOutsideIsEncodedNotMarkup()
    {
        var respondent = new Respondent("r1", RespondentRoles.Management, "r@example.org", "en", [], DateTimeOffset.UnixEpoch, 0, DateTimeOffset.UnixEpoch,
            new Dictionary<string, string> { ["money_spent"] = Hostile }, null, null);
        var survey = new SurveyData("survey-1", "round-1", "app-1", "P-0000000000", 1, SurveyStatus.Open, "1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(56), 14, 2, true, [respondent]);
        var errors = new Dictionary<string, string[]> { ["money_spent"] = [Hostile] };

        var html = await QuestionnairePage.HtmlAsync(new QuestionnaireForm(survey, respondent, "en", Hostile, errors));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\" onfocus=", html, StringComparison.Ordinal);
        Assert.Equal(1, Count(html, "<html"));
        // The round's name in the title and heading, the typed answer in its field, the problem in the summary: as text.
        var decoded = WebUtility.HtmlDecode(html);
        Assert.Contains($"<title>Follow-up questionnaire {Hostile}</title>", decoded, StringComparison.Ordinal);
        Assert.Contains($"Follow-up study {Hostile}, wave 1", decoded, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Hostile}\"", decoded, StringComparison.Ordinal);
        Assert.Contains($"</a>: {Hostile}</li>", decoded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(QuestionnaireNotices.LinkDoesNotWork, "nl", "Deze link werkt niet")]
    [InlineData(QuestionnaireNotices.Submitted, "en", "Thank you")]
    public async Task ANoticeIsOnePageInItsLanguage(QuestionnaireNotices notice, string language, string title)
    {
        var html = await QuestionnairePage.HtmlAsync(new QuestionnaireNotice(notice, language));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<h1>{title}</h1>", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}

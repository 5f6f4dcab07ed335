using System.Buffers.Text;
using System.Text;
using Grants.Functions.FollowUp;

namespace Grants.Functions.Tests.FollowUp;

/// <summary>A questionnaire's token names the survey it opens; only a survey id of its exact form is taken from it, since it becomes a table key.</summary>
public sealed class SurveyTokenTests
{
    private const string SurveyId = "survey-round-0123456789ab-P-0123456789-w1";

    [Fact]
    public void AnIssuedTokenReadsBackAsTheSurveyRespondentAndSecretItWasIssuedFor()
    {
        var (token, secret) = SurveyTokens.Issue(SurveyId, "respondent-1");

        Assert.True(SurveyTokens.TryParse(token, out var surveyId, out var respondentId, out var read));
        Assert.Equal((SurveyId, "respondent-1", secret), (surveyId, respondentId, read));
    }

    [Theory]
    [InlineData("survey-x")]
    [InlineData("survey-a/b")]
    [InlineData("survey-x#?")]
    [InlineData("survey-\u0001")]
    [InlineData(SurveyId + "\n")]
    [InlineData("SURVEY-ROUND-0123456789AB-P-0123456789-W1")]
    [InlineData("round-0123456789ab")]
    public void ATokenNamingASurveyOfAnotherFormIsRefused(string surveyId)
    {
        var token = $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{surveyId}|respondent-1"))}.{new string('a', 43)}";

        Assert.False(SurveyTokens.TryParse(token, out _, out _, out _));
    }
}

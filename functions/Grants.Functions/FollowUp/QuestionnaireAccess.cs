using Grants.Domain.Common;
using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.FollowUp;

/// <summary>
/// Respondents answer through their token: it opens their own questionnaire and nothing else. A token
/// that does not match looks exactly like one that does not exist; a used one is refused; after the wave
/// closes the questionnaire is gone.
/// </summary>
public sealed class QuestionnaireAccess(SurveyStore surveys, TimeProvider time)
{
    /// <summary>The survey and respondent the token opens, in the page's language; or the notice that refuses it.</summary>
    public async Task<QuestionnaireOpening> OpenAsync(string token, string? language, CancellationToken cancellationToken)
    {
        if (!SurveyTokens.TryParse(token, out var surveyId, out var respondentId, out var secret)
            || await surveys.FindAsync(surveyId, cancellationToken) is not { } stored
            || new Survey(stored.State).Authenticate(respondentId, secret) is not { } respondent)
        {
            return new QuestionnaireOpening(null, null, language == Languages.English ? Languages.English : Languages.Dutch, QuestionnaireNotices.LinkDoesNotWork);
        }

        var lang = Language(language, respondent);
        if (respondent.SubmittedAt is not null)
        {
            return new QuestionnaireOpening(null, null, lang, QuestionnaireNotices.AlreadySubmitted);
        }

        if (stored.State.Status is SurveyStatus.Closed || time.GetUtcNow() >= stored.State.ClosesAt)
        {
            return new QuestionnaireOpening(null, null, lang, QuestionnaireNotices.Closed);
        }

        return new QuestionnaireOpening(stored, respondent, lang, null);
    }

    /// <summary>The language asked for (<c>?lang=</c>), else the respondent's own.</summary>
    private static string Language(string? requested, Respondent respondent) =>
        requested is Languages.English or Languages.Dutch ? requested : respondent.Language;
}

/// <summary>What a token opens: the survey and respondent, or the <see cref="Refusal"/> shown instead.</summary>
public sealed record QuestionnaireOpening(StoredAggregate<SurveyData>? Stored, Respondent? Respondent, string Language, QuestionnaireNotices? Refusal)
{
    public QuestionnaireNotice? RefusalNotice => Refusal is { } refusal ? new QuestionnaireNotice(refusal, Language) : null;
}

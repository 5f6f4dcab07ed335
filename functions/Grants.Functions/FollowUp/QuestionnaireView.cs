using Grants.Domain.FollowUp;

namespace Grants.Functions.FollowUp;

/// <summary>What a respondent's link shows, in the page's language (<c>nl</c> or <c>en</c>); <see cref="QuestionnairePage"/> renders it.</summary>
public abstract record QuestionnaireView(string Language);

/// <summary>
/// The questionnaire with the respondent's answers. With <paramref name="Errors"/>, answers the questionnaire refused:
/// nothing was stored, and the form comes back with what was typed.
/// </summary>
/// <param name="Saved">The answers were just saved for later.</param>
public sealed record QuestionnaireForm(
    SurveyData Survey, Respondent Respondent, string Language, string RoundName, IReadOnlyDictionary<string, string[]>? Errors = null, bool Saved = false)
    : QuestionnaireView(Language);

/// <summary>A page with one message instead of the questionnaire.</summary>
public sealed record QuestionnaireNotice(QuestionnaireNotices Notice, string Language) : QuestionnaireView(Language);

public enum QuestionnaireNotices
{
    /// <summary>The token opens nothing: malformed, unknown, or with a secret that does not match (all alike).</summary>
    LinkDoesNotWork,

    /// <summary>The respondent submitted already; the link is used up.</summary>
    AlreadySubmitted,

    /// <summary>The wave has closed.</summary>
    Closed,

    /// <summary>The answers were just submitted.</summary>
    Submitted,
}

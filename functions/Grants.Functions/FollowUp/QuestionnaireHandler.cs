using Grants.Domain.Common;
using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Grants.Functions.FollowUp;

/// <summary>
/// Respondents answer through their token: it opens their own questionnaire and nothing else. A token
/// that does not match looks exactly like one that does not exist (404); a used one is refused (409);
/// after the wave closes the questionnaire is gone (410).
/// </summary>
public sealed class QuestionnaireHandler(SurveyStore surveys, RoundStore rounds, TimeProvider time)
{
    public async Task<IResult> ShowAsync(string token, string? language, CancellationToken cancellationToken)
    {
        var (stored, respondent, refusal) = await OpenAsync(token, language, cancellationToken);
        return refusal ?? new HtmlPage(QuestionnairePage.Form(stored!.State, respondent!, Language(language, respondent!), await RoundNameAsync(stored.State, cancellationToken)));
    }

    /// <summary>A questionnaire post is small: everything above this is refused before it is read.</summary>
    public const int MaxFormBytes = 64 * 1024;

    private static readonly FormOptions FormLimits = new() { ValueCountLimit = 200, KeyLengthLimit = 100, ValueLengthLimit = 4096, BufferBody = false };

    public async Task<IResult> AnswerAsync(string token, HttpRequest request, CancellationToken cancellationToken)
    {
        string? language = request.Query["lang"];
        // The token first: nothing of the body is read for a link that opens nothing.
        var (_, _, refusal) = await OpenAsync(token, language, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of(ProblemKind.UnsupportedMediaType, "Send the questionnaire as an HTML form (application/x-www-form-urlencoded).");
        }

        if (request.ContentLength is null or > MaxFormBytes)
        {
            return Problems.Of(ProblemKind.PayloadTooLarge, $"A questionnaire post is at most {MaxFormBytes / 1024} KiB and states its length.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(FormLimits, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return Problems.Of(ProblemKind.MalformedRequest, $"The form cannot be read: {e.Message}");
        }

        var submit = form["action"] == "submit";
        for (var attempt = 1; ; attempt++)
        {
            var (stored, respondent, gone) = await OpenAsync(token, language, cancellationToken);
            if (gone is not null)
            {
                return gone;
            }

            var survey = new Survey(stored!.State);
            var (answers, cleared) = FormAnswers(form, survey.Data.Recipient);
            var lang = Language(language, respondent!);
            try
            {
                survey.Save(respondent!.Id, answers, submit, time.GetUtcNow(), cleared);
                var saved = await surveys.SaveAsync(stored, survey, $"respondent:{respondent.Id}",
                    Change.Of(new PendingAuditEvent(submit ? "SurveySubmitted" : "SurveyAnswersSaved", new { survey.Data.Wave, respondent = respondent.Id, answers = answers.Count })), cancellationToken);
                return submit
                    ? new HtmlPage(QuestionnairePage.Message(lang, "Hartelijk dank", "Uw antwoorden zijn verstuurd en opgeslagen. U kunt dit venster sluiten.", "Thank you", "Your answers have been submitted and stored. You can close this window."))
                    : new HtmlPage(QuestionnairePage.Form(saved.State, saved.State.Respondents.Single(r => r.Id == respondent.Id), lang, await RoundNameAsync(saved.State, cancellationToken), saved: true));
            }
            catch (DomainRuleException e)
            {
                // Nothing was stored; the form comes back with what was typed and the errors.
                var typed = respondent! with { Answers = Merge(respondent.Answers, answers, cleared) };
                return new HtmlPage(QuestionnairePage.Form(survey.Data, typed, lang, await RoundNameAsync(survey.Data, cancellationToken), e.Errors), StatusCodes.Status422UnprocessableEntity);
            }
            catch (ConcurrencyConflictException) when (attempt < 3)
            {
                // Another respondent of the same organisation saved at the same moment; read again and retry.
            }
        }
    }

    /// <summary>
    /// The form's fields as answers: a multi-select question answered at all becomes one 0/1 per option.
    /// A question the page showed (listed in <c>shown</c>) and left empty clears its earlier answer.
    /// </summary>
    public static (Dictionary<string, string> Answers, List<string> Cleared) FormAnswers(IFormCollection form, bool recipient)
    {
        var answers = new Dictionary<string, string>();
        var cleared = new List<string>();
        var shown = form["shown"].ToHashSet(StringComparer.Ordinal);
        foreach (var item in SurveyCatalogue.Items.Where(i => recipient || !i.WinnersOnly))
        {
            var values = form[item.Id].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
            if (values.Length == 0)
            {
                if (shown.Contains(item.Id))
                {
                    cleared.AddRange(SurveyCatalogue.Keys(item));
                }

                continue;
            }

            if (item.Kind == ItemKind.MultiSelect)
            {
                foreach (var option in item.Options)
                {
                    answers[$"{item.Id}.{option.Code}"] = values.Contains(option.Code) ? "1" : "0";
                }

                foreach (var unknown in values.Where(v => item.Options.All(o => o.Code != v)))
                {
                    answers[$"{item.Id}.{unknown}"] = "1"; // refused by the catalogue check, with the field named
                }
            }
            else
            {
                answers[item.Id] = values[0];
            }
        }

        return (answers, cleared);
    }

    private async Task<(StoredAggregate<SurveyData>? Stored, Respondent? Respondent, IResult? Refusal)> OpenAsync(string token, string? language, CancellationToken cancellationToken)
    {
        var lang = language == "en" ? "en" : "nl";
        if (!SurveyTokens.TryParse(token, out var surveyId, out var respondentId, out var secret)
            || await surveys.FindAsync(surveyId, cancellationToken) is not { } stored
            || new Survey(stored.State).Authenticate(respondentId, secret) is not { } respondent)
        {
            return (null, null, new HtmlPage(QuestionnairePage.Message(lang,
                "Deze link werkt niet", "Controleer of u de hele link uit de e-mail hebt gebruikt. Neem anders contact op met het ministerie.",
                "This link does not work", "Please check that you used the whole link from the e-mail, or contact the ministry."), StatusCodes.Status404NotFound));
        }

        lang = Language(language, respondent);
        if (respondent.SubmittedAt is not null)
        {
            return (null, null, new HtmlPage(QuestionnairePage.Message(lang,
                "Al verstuurd", "Deze vragenlijst is al ingevuld en verstuurd; de link kan niet opnieuw worden gebruikt. Dank voor uw medewerking.",
                "Already submitted", "This questionnaire has already been submitted; the link cannot be used again. Thank you for taking part."), StatusCodes.Status409Conflict));
        }

        if (stored.State.Status is SurveyStatus.Closed || time.GetUtcNow() >= stored.State.ClosesAt)
        {
            return (null, null, new HtmlPage(QuestionnairePage.Message(lang,
                "Deze meting is gesloten", "De termijn om deze vragenlijst in te vullen is verstreken.",
                "This wave has closed", "The period for answering this questionnaire has ended."), StatusCodes.Status410Gone));
        }

        return (stored, respondent, null);
    }

    private async Task<string> RoundNameAsync(SurveyData survey, CancellationToken cancellationToken) =>
        (await rounds.FindAsync(survey.RoundId, cancellationToken))?.State.Name ?? survey.RoundId;

    private static string Language(string? requested, Respondent respondent) =>
        requested is Languages.English or Languages.Dutch ? requested : respondent.Language;

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> saved, IReadOnlyDictionary<string, string> typed, IEnumerable<string> cleared)
    {
        var merged = new Dictionary<string, string>(saved);
        foreach (var key in cleared)
        {
            merged.Remove(key);
        }

        foreach (var (key, value) in typed)
        {
            merged[key] = value;
        }

        return merged;
    }
}

using Grants.Domain.Common;
using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Primitives;

namespace Grants.Functions.FollowUp;

/// <summary>The questionnaire form posted back: <c>action=save</c> keeps the answers for later, <c>action=submit</c> sends them and uses the token up.</summary>
[AnonymousAllowed]
[ApiOperation("Save or submit answers to the follow-up questionnaire (HTML form post)", Tag = "Follow-up", ResponseMediaType = "text/html", PageStatuses = [404, 409, 410, 422], Query = "lang")]
public sealed class AnswerQuestionnaire(RequestGate gate, QuestionnaireAccess access, AnswerQuestionnaireHandler handler)
{
    /// <summary>A questionnaire post is small: everything above this is refused before it is read.</summary>
    public const int MaxFormBytes = 64 * 1024;

    private static readonly FormOptions FormLimits = new() { ValueCountLimit = 200, KeyLengthLimit = 100, ValueLengthLimit = 4096, BufferBody = false };

    [Function(nameof(AnswerQuestionnaire))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "respond/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AnswerQuestionnaire>(request, async (_, ct) =>
        {
            string? language = request.Query["lang"];
            // The token first: nothing of the body is read for a link that opens nothing.
            if ((await access.OpenAsync(token, language, ct)).RefusalNotice is { } refusal)
            {
                return await QuestionnairePage.RenderAsync(refusal);
            }

            var (form, problem) = await ReadFormAsync(request, ct);
            return problem ?? await QuestionnairePage.RespondAsync(await handler.HandleAsync(token, language, form!, ct));
        }, cancellationToken);

    /// <summary>The post as a small url-encoded form, or the problem with it (415, 413, 400).</summary>
    private static async Task<(IReadOnlyDictionary<string, StringValues>? Form, IResult? Problem)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Of(ProblemKind.UnsupportedMediaType, "Send the questionnaire as an HTML form (application/x-www-form-urlencoded)."));
        }

        if (request.ContentLength is null or > MaxFormBytes)
        {
            return (null, Problems.Of(ProblemKind.PayloadTooLarge, $"A questionnaire post is at most {MaxFormBytes / 1024} KiB and states its length."));
        }

        try
        {
            var form = await request.ReadFormAsync(FormLimits, cancellationToken);
            return (form.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal), null);
        }
        catch (InvalidDataException e)
        {
            return (null, Problems.Of(ProblemKind.MalformedRequest, $"The form cannot be read: {e.Message}"));
        }
    }
}

/// <summary>
/// The respondent's answers saved for later, or submitted (which uses the token up). Answers the questionnaire
/// refuses store nothing: the form comes back with what was typed and what to check.
/// </summary>
public sealed class AnswerQuestionnaireHandler(CommandExecutor commands, QuestionnaireAccess access, SurveyStore surveys, RoundStore rounds, TimeProvider time)
{
    public async Task<Result<QuestionnaireView>> HandleAsync(string token, string? language, IReadOnlyDictionary<string, StringValues> form, CancellationToken cancellationToken)
    {
        var submit = form.TryGetValue("action", out var action) && action == "submit";
        for (var attempt = 1; ; attempt++)
        {
            var opening = await access.OpenAsync(token, language, cancellationToken);
            if (opening.RefusalNotice is { } refusal)
            {
                return refusal;
            }

            var (stored, respondent, lang) = (opening.Stored!, opening.Respondent!, opening.Language);
            var survey = new Survey(stored.State);
            var (answers, cleared) = FormAnswers(form, survey.Data.Recipient);
            try
            {
                survey.Save(respondent.Id, answers, submit, time.GetUtcNow(), cleared);
            }
            catch (DomainRuleException e)
            {
                // Nothing was stored; the form comes back with what was typed and the errors.
                var typed = respondent with { Answers = Merge(respondent.Answers, answers, cleared) };
                return new QuestionnaireForm(survey.Data, typed, lang, await ShowQuestionnaireHandler.RoundNameAsync(rounds, survey.Data, cancellationToken), e.Errors);
            }

            try
            {
                // Committed only over the version the token was checked against: another respondent's save meanwhile is a conflict.
                var saved = await commands.ChangeAsync(surveys, stored.Id, stored.ETag, $"respondent:{respondent.Id}", _ => SurveyStore.Commit(survey,
                    new PendingAuditEvent(submit ? "SurveySubmitted" : "SurveyAnswersSaved", new { survey.Data.Wave, respondent = respondent.Id, answers = answers.Count })), cancellationToken);
                if (saved.Failure is { } failure)
                {
                    return failure;
                }

                var state = saved.Value!.State;
                return submit
                    ? new QuestionnaireNotice(QuestionnaireNotices.Submitted, lang)
                    : (QuestionnaireView)new QuestionnaireForm(state, state.Respondents.Single(r => r.Id == respondent.Id), lang, await ShowQuestionnaireHandler.RoundNameAsync(rounds, state, cancellationToken), Saved: true);
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
    public static (Dictionary<string, string> Answers, List<string> Cleared) FormAnswers(IReadOnlyDictionary<string, StringValues> form, bool recipient)
    {
        StringValues Field(string name) => form.TryGetValue(name, out var values) ? values : StringValues.Empty;
        var answers = new Dictionary<string, string>();
        var cleared = new List<string>();
        var shown = Field("shown").ToHashSet(StringComparer.Ordinal);
        foreach (var item in SurveyCatalogue.Items.Where(i => recipient || !i.WinnersOnly))
        {
            var values = Field(item.Id).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
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

using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.FollowUp;

/// <summary>The questionnaire page a respondent's link opens; <c>?lang=nl|en</c> switches language.</summary>
[AnonymousAllowed]
[ApiOperation("The follow-up questionnaire of the respondent whose token this is (HTML, no account needed)", Tag = "Follow-up", ResponseMediaType = "text/html", PageStatuses = [404, 409, 410], Query = "lang")]
public sealed class ShowQuestionnaire(RequestGate gate, ShowQuestionnaireHandler handler)
{
    [Function(nameof(ShowQuestionnaire))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "respond/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ShowQuestionnaire>(request, async (_, ct) => await QuestionnairePage.RespondAsync(await handler.HandleAsync(token, request.Query["lang"], ct)), cancellationToken);
}

/// <summary>The respondent's questionnaire with the answers saved so far, or the notice that refuses the token.</summary>
public sealed class ShowQuestionnaireHandler(QuestionnaireAccess access, RoundStore rounds)
{
    public async Task<Result<QuestionnaireView>> HandleAsync(string token, string? language, CancellationToken cancellationToken)
    {
        var opening = await access.OpenAsync(token, language, cancellationToken);
        if (opening.RefusalNotice is { } refusal)
        {
            return refusal;
        }

        return new QuestionnaireForm(opening.Stored!.State, opening.Respondent!, opening.Language, await RoundNameAsync(rounds, opening.Stored.State, cancellationToken));
    }

    /// <summary>The name the questionnaire's round is known by (its id, should the round be gone).</summary>
    public static async Task<string> RoundNameAsync(RoundStore rounds, SurveyData survey, CancellationToken cancellationToken) =>
        (await rounds.FindAsync(survey.RoundId, cancellationToken))?.State.Name ?? survey.RoundId;
}

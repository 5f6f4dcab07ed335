using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.FollowUp;

/// <summary>The questionnaire page a respondent's link opens; <c>?lang=nl|en</c> switches language.</summary>
[AnonymousAllowed]
[ApiOperation("The follow-up questionnaire of the respondent whose token this is (HTML, no account needed)", Tag = "Follow-up", ResponseMediaType = "text/html", Query = "lang")]
public sealed class ShowQuestionnaire(RequestGate gate, QuestionnaireHandler handler)
{
    [Function(nameof(ShowQuestionnaire))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "respond/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ShowQuestionnaire>(request, (_, ct) => handler.ShowAsync(token, request.Query["lang"], ct), cancellationToken);
}

/// <summary>The questionnaire form posted back: <c>action=save</c> keeps the answers for later, <c>action=submit</c> sends them and uses the token up.</summary>
[AnonymousAllowed]
[ApiOperation("Save or submit answers to the follow-up questionnaire (HTML form post)", Tag = "Follow-up", ResponseMediaType = "text/html", Query = "lang")]
public sealed class AnswerQuestionnaire(RequestGate gate, QuestionnaireHandler handler)
{
    [Function(nameof(AnswerQuestionnaire))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "respond/{token}")] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AnswerQuestionnaire>(request, (_, ct) => handler.AnswerAsync(token, request, ct), cancellationToken);
}

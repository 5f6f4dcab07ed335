using Grants.Contracts.FollowUp;
using Grants.Domain.FollowUp;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.FollowUp;

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("Add a respondent to an open follow-up survey (e.g. an employee representative), who is invited at once", Tag = "Follow-up", Request = typeof(AddRespondentRequest), Response = typeof(SurveyResponse), SuccessStatus = 201)]
public sealed class AddSurveyRespondent(RequestGate gate, AddSurveyRespondentHandler handler)
{
    [Function(nameof(AddSurveyRespondent))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "surveys/{surveyId}/respondents")] HttpRequest request,
        string surveyId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AddSurveyRespondent, AddRespondentRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(surveyId, body, caller, ct)).Select(s => s.State).Created(s => $"/api/applications/{s.ApplicationId}/surveys", SurveyResponses.From), cancellationToken);
}

/// <summary>Another respondent for a survey (an employee representative): while the survey is open, invited at once with a token of its own (before it opens or after it closes: 409).</summary>
public sealed class AddSurveyRespondentHandler(CommandExecutor commands, SurveyAccess access, RoundStore rounds, Applications.ApplicationStore applications, IOptions<FollowUpOptions> options, TimeProvider time)
{
    public Task<Result<StoredAggregate<SurveyData>>> HandleAsync(string surveyId, AddRespondentRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.Surveys(caller), surveyId, ifMatch: null, caller.AuditName, async stored =>
        {
            var survey = new Survey(stored.State);
            var respondentId = $"r{stored.State.Respondents.Count + 1}";
            var (token, secret) = SurveyTokens.Issue(surveyId, respondentId);
            var application = await applications.FollowedUpByAsync(survey.Data, cancellationToken);
            survey.AddRespondent(application, respondentId, request.Role, request.Email, request.Language, Survey.HashSecret(secret), time.GetUtcNow());
            var respondent = survey.Data.Respondents.Single(r => r.Id == respondentId);
            var roundName = (await rounds.FindAsync(survey.Data.RoundId, cancellationToken))?.State.Name ?? survey.Data.RoundId;
            return (Result<Commit<SurveyData>>)SurveyStore.Commit(survey,
                new PendingAuditEvent("SurveyRespondentAdded", new { respondent = respondentId, request.Role }),
                SurveyMail.Invitation(respondent, survey.Data, roundName, SurveyTokens.Link(options.Value.PublicBaseUrl, token)));
        }, cancellationToken);
}

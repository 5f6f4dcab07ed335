using Grants.Contracts.FollowUp;
using Grants.Domain.FollowUp;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Grants.Functions.FollowUp;

/// <summary>An organisation's (or the ministry's) view of its follow-up surveys, and more respondents for them.</summary>
public sealed class SurveyHandlers(SurveyStore surveys, ApplicationStore applications, RoundStore rounds, IOptions<FollowUpOptions> options, TimeProvider time)
{
    public async Task<IResult> OfApplicationAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } application || !ApplicationAccess.MaySee(caller, application.State))
        {
            return Problems.Of(ProblemKind.NotFound, $"No application {applicationId}.");
        }

        var list = await surveys.OfApplicationAsync(applicationId, cancellationToken);
        return TypedResults.Ok(list.OrderBy(s => s.State.Wave).Select(s => ToResponse(s.State)).ToList());
    }

    /// <summary>While the survey is open, the new respondent is invited at once (before it opens or after it closes: 409).</summary>
    public async Task<IResult> AddRespondentAsync(string surveyId, AddRespondentRequest body, Caller caller, CancellationToken cancellationToken)
    {
        if (await surveys.FindAsync(surveyId, cancellationToken) is not { } stored
            || await applications.FindAsync(stored.State.ApplicationId, cancellationToken) is not { } application
            || !ApplicationAccess.MaySee(caller, application.State))
        {
            return Problems.Of(ProblemKind.NotFound, $"No survey {surveyId}.");
        }

        if (stored.WrittenByCurrentOperation)
        {
            // This request's earlier attempt added (and invited) the respondent.
            return TypedResults.Created($"/api/applications/{stored.State.ApplicationId}/surveys", ToResponse(stored.State));
        }

        var survey = new Survey(stored.State);
        var respondentId = $"r{stored.State.Respondents.Count + 1}";
        var (token, secret) = SurveyTokens.Issue(surveyId, respondentId);
        survey.AddRespondent(respondentId, body.Role, body.Email, body.Language, Survey.HashSecret(secret), time.GetUtcNow());
        var respondent = survey.Data.Respondents.Single(r => r.Id == respondentId);
        var roundName = (await rounds.FindAsync(survey.Data.RoundId, cancellationToken))?.State.Name ?? survey.Data.RoundId;
        var saved = await surveys.SaveAsync(stored, survey, caller.AuditName, Change.Of(
            new PendingAuditEvent("SurveyRespondentAdded", new { respondent = respondentId, body.Role }),
            SurveyMail.Invitation(respondent, survey.Data, roundName, SurveyTokens.Link(options.Value.PublicBaseUrl, token))), cancellationToken);
        return TypedResults.Created($"/api/applications/{saved.State.ApplicationId}/surveys", ToResponse(saved.State));
    }

    public static SurveyResponse ToResponse(SurveyData survey) => new(
        survey.Id, survey.ApplicationId, survey.Wave, survey.Status.ToString(), survey.OpensAt, survey.ClosesAt,
        survey.Respondents.Select(r => new RespondentResponse(r.Id, r.Role, r.InvitedAt, r.Reminders, r.SubmittedAt)).ToList());
}

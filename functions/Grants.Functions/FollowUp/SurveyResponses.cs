using Grants.Contracts.FollowUp;
using Grants.Domain.FollowUp;

namespace Grants.Functions.FollowUp;

/// <summary>How a stored survey is shown through the API: its wave, dates and respondents, never their answers.</summary>
public static class SurveyResponses
{
    public static SurveyResponse From(SurveyData survey) => new(
        survey.Id, survey.ApplicationId, survey.Wave, survey.Status.ToString(), survey.OpensAt, survey.ClosesAt,
        survey.Respondents.Select(r => new RespondentResponse(r.Id, r.Role, r.InvitedAt, r.Reminders, r.SubmittedAt)).ToList());
}

namespace Grants.Contracts.FollowUp;

/// <summary>Another person of the organisation answers the follow-up too (e.g. an employee representative).</summary>
/// <param name="Role">employee_representative or other; the organisation's contact answers as management.</param>
/// <param name="Language">nl or en.</param>
public sealed record AddRespondentRequest(string Role, string Email, string Language) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Role is not ("employee_representative" or "other"))
        {
            yield return ("role", "must be employee_representative or other");
        }

        foreach (var problem in TextRules.SingleLine("email", Email, 254))
        {
            yield return problem;
        }

        if (!TextRules.IsEmailAddress(Email))
        {
            yield return ("email", "must be an email address");
        }

        if (Language is not ("nl" or "en"))
        {
            yield return ("language", "must be nl or en");
        }
    }
}

public sealed record RespondentResponse(string Id, string Role, DateTimeOffset InvitedAt, int Reminders, DateTimeOffset? SubmittedAt);

/// <summary>A unit's follow-up survey in one wave, without answers or addresses.</summary>
public sealed record SurveyResponse(string Id, string ApplicationId, int Wave, string Status, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, IReadOnlyList<RespondentResponse> Respondents);

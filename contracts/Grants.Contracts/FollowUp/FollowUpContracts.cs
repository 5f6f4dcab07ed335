namespace Grants.Contracts.FollowUp;

/// <summary>Another person of the organisation answers the follow-up too (e.g. an employee representative).</summary>
/// <param name="Role">employee_representative or other; the organisation's contact answers as management.</param>
/// <param name="Language">nl or en.</param>
public sealed record AddRespondentRequest([property: ClosedSet("respondent-role")] string Role, string Email, [property: ClosedSet("language")] string Language) : IValidatable
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

public sealed record RespondentResponse(string Id, [property: ClosedSet("respondent-role")] string Role, DateTimeOffset InvitedAt, int Reminders, DateTimeOffset? SubmittedAt);

/// <summary>A unit's follow-up survey in one wave, without answers or addresses.</summary>
public sealed record SurveyResponse(string Id, string ApplicationId, int Wave, [property: ClosedSet("survey-status")] string Status, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, IReadOnlyList<RespondentResponse> Respondents);

/// <param name="Units">Pool units of the arm (winners: assigned at the initial cut-off).</param>
/// <param name="Invited">Units whose survey has opened (invitation sent).</param>
/// <param name="Responded">Units whose management respondent submitted.</param>
/// <param name="Rate">Responded ÷ units; null before any invitation.</param>
public sealed record ArmResponse(int Units, int Invited, int Responded, double? Rate);

/// <param name="Differential">Winners' response rate minus losers'.</param>
/// <param name="Alert">True when |differential| exceeds the threshold: the comparison may be tilted; chase the lagging arm.</param>
public sealed record WaveMonitorResponse(int Wave, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, ArmResponse Winners, ArmResponse Losers, double? Differential, double Threshold, bool Alert);

/// <summary>Response to the follow-up per wave and arm while the waves run.</summary>
public sealed record FollowUpMonitorResponse(string RoundId, IReadOnlyList<WaveMonitorResponse> Waves);

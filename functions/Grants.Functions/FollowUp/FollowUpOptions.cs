namespace Grants.Functions.FollowUp;

public sealed class FollowUpOptions
{
    public const string SectionName = "FollowUp";

    /// <summary>The address respondents' links start with (the function app's public URL, without /api).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:7071";

    /// <summary>How long a wave stays open after its date.</summary>
    public int WaveWeeks { get; set; } = 8;

    /// <summary>Days between an invitation (or reminder) and the next reminder.</summary>
    public int ReminderDays { get; set; } = 14;

    public int MaxReminders { get; set; } = 2;

    /// <summary>Differential attrition (winners' minus losers' response rate) beyond which the monitor raises an alert.</summary>
    public double DifferentialAttritionThreshold { get; set; } = 0.10;
}

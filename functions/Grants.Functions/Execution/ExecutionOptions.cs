namespace Grants.Functions.Execution;

public sealed class ExecutionOptions
{
    public const string SectionName = "Execution";

    /// <summary>Share of the award paid as an advance on acceptance; the rest follows the settlement.</summary>
    public decimal AdvanceShare { get; set; } = 0.8m;

    /// <summary>Weeks after the project's end by which the final report is due.</summary>
    public int FinalReportWeeks { get; set; } = 13;

    /// <summary>Days before a report deadline that the grantee is reminded.</summary>
    public int ReminderDays { get; set; } = 14;
}

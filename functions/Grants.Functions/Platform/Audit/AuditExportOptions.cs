namespace Grants.Functions.Platform.Audit;

public sealed class AuditExportOptions
{
    public const string SectionName = "AuditExports";

    /// <summary>
    /// How often an evidence export is written: once in each such period of UTC time (a UTC day by
    /// default). The timer looks every hour, so a run that failed is made good within the hour, and a
    /// longer period would let a rewritten history go unrecorded longer. Every export stays for the
    /// evidence retention period (ten years), so a shorter one multiplies what is kept.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);
}

namespace Grants.Functions.Retention;

public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// Years a file is kept with its personal data after the last thing that happened to it (its
    /// application, grant, voucher and surveys). Seven, as Dutch subsidy files are commonly kept after
    /// settlement; the ministry's own archive selection list decides.
    /// </summary>
    public int Years { get; set; } = 7;

    /// <summary>Days a stored Idempotency-Key response (which repeats the request's answer) is kept.</summary>
    public int IdempotencyDays { get; set; } = 30;

    /// <summary>
    /// Days the record of a finished background operation (its status resource, with what it skipped and why) is kept
    /// after it finished. What the work did is in the audit trail for as long as the files are kept; the record only
    /// answers whoever waits for it, and an operation that failed is kept until it is repaired.
    /// </summary>
    public int OperationDays { get; set; } = 90;
}

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
}

namespace Grants.Functions.Platform.Http;

public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest JSON body accepted; larger bodies get 413 before anything is parsed.</summary>
    public int MaxJsonBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a request holds its Idempotency-Key before a retry may take it over.</summary>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a round or organisation read for starting an application may be reused (<c>RecentAggregates</c>); zero reads storage every time.</summary>
    public TimeSpan RecentReadLifetime { get; set; } = TimeSpan.FromSeconds(2);
}

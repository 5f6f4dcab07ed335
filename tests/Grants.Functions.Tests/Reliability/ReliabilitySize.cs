namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// How big the reliability scenarios run: small enough for the everyday test command, the sizes of
/// the issue (2,000 submissions, 8,000 claimants for 2,000 vouchers) with <c>GRANTS_RELIABILITY=nightly</c>.
/// </summary>
public static class ReliabilitySize
{
    public static bool Nightly { get; } = Environment.GetEnvironmentVariable("GRANTS_RELIABILITY") == "nightly";

    public static int Submissions => Nightly ? 2_000 : 400;

    public static int Vouchers => Nightly ? 2_000 : 100;

    public static int VoucherClaimants => 4 * Vouchers;

    /// <summary>Requests in flight at once, as the scenario asks.</summary>
    public const int InFlight = 32;
}

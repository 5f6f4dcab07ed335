using Grants.Contracts.Applications;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.LocalHost;
using Grants.LocalHost.Identity;

namespace Grants.Benchmarks;

/// <summary>
/// What the API benchmarks share: the local host on a free port with its own Azurite, logging at Warning, mail into a
/// folder, timers off; development tokens it accepts; and complete application content as an applicant sends it.
/// </summary>
public static class BenchmarkHost
{
    public static LocalHostOptions Options(AuthOptions auth, string mailFolder)
    {
        var options = new LocalHostOptions { Url = "http://127.0.0.1:0", RunTimersOnSchedule = false };
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        options.Settings["Auth:DevelopmentSigningKey"] = auth.DevelopmentSigningKey;
        options.Settings["Mail:PickupDirectory"] = mailFolder;
        options.Settings[StorageAccount.ConnectionName] = "";
        options.Settings[StorageAccount.HostConnectionName] = "";
        return options;
    }

    public static AuthOptions NewAuth() => new() { DevelopmentSigningKey = DevelopmentTokens.NewSigningKey() };

    public static string Token(AuthOptions auth, string role, string subject, string? organisation = null, TimeSpan? lifetime = null) =>
        DevelopmentTokens.Issue(auth, subject, role, organisation, DateTimeOffset.UtcNow, lifetime ?? TimeSpan.FromHours(2));

    /// <summary>Complete content, as an applicant sends it when the round opens (the tests' GrantBuilders.Content()).</summary>
    public static ApplicationContentDto Content(long amountCents = 95_000_00) => new(
        "Self-rostering in production",
        "Teams plan their own shifts to cut overtime and absenteeism.",
        ["flexible-work-organisation"],
        amountCents,
        new DateOnly(2027, 9, 1),
        18,
        20_000_00,
        new AdviserDto("Subsidie Advies BV", "J. de Vries", "jdv@advies.example"),
        ConsentToFollowUp: true);
}

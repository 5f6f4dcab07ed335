using System.Net.Http.Headers;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.LocalHost;
using Microsoft.Extensions.Configuration;

[assembly: AssemblyFixture(typeof(Grants.Functions.Tests.Infrastructure.GrantsApi))]

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// The product as a user meets it: the local host serving the function app over real HTTP on a
/// free port, with real Azurite storage and a real SMTP server. One per test run.
/// </summary>
public sealed class GrantsApi : IAsyncLifetime
{
    private LocalFunctionsHost? _host;

    public AuthOptions Auth { get; } = new() { DevelopmentSigningKey = DevelopmentTokens.NewSigningKey() };

    public SmtpSink Smtp { get; private set; } = null!;

    public LocalFunctionsHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public string StorageConnectionString => Host.AzuriteConnectionString!;

    public async ValueTask InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        var options = new LocalHostOptions { Url = "http://127.0.0.1:0", RunTimersOnSchedule = false };
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        options.Settings["Auth:DevelopmentSigningKey"] = Auth.DevelopmentSigningKey;
        options.Settings["Mail:Smtp:Host"] = "127.0.0.1";
        options.Settings["Mail:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Settings["Mail:Smtp:Security"] = "None";
        // Storage is deliberately left unset: the host starts its own Azurite, as `grants up` does.
        options.Settings[StorageAccount.ConnectionName] = "";
        options.Settings[StorageAccount.HostConnectionName] = "";
        _host = await LocalFunctionsHost.StartAsync(options, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Smtp.DisposeAsync();
    }

    public HttpClient Anonymous() => new() { BaseAddress = Host.BaseAddress };

    public HttpClient As(string role, string? organisation = null, string? subject = null)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, organisation, subject));
        return client;
    }

    public string Token(string role, string? organisation = null, string? subject = null, TimeSpan? lifetime = null, DateTimeOffset? now = null) =>
        DevelopmentTokens.Issue(Auth, subject ?? $"{role}-{Guid.NewGuid():N}", role, organisation, now ?? DateTimeOffset.UtcNow, lifetime ?? TimeSpan.FromHours(1));

    /// <summary>Direct access to the same storage, for checks that go around the API.</summary>
    public StorageAccount Storage() => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.ConnectionName] = StorageConnectionString })
        .Build());
}

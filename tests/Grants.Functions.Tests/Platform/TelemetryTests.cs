using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Grants.Functions.Platform.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace Grants.Functions.Tests.Platform;

/// <summary>Telemetry as it is set up in Azure: signed in with the app's identity, and without questionnaire tokens.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public void TheExporterSignsInWithTheManagedIdentityNamedInTheAuthenticationString()
    {
        using var services = Services();

        var options = services.GetRequiredService<IOptionsMonitor<AzureMonitorOptions>>().Get(Options.DefaultName);

        Assert.IsType<ManagedIdentityCredential>(options.Credential);
    }

    [Fact]
    public void AQuestionnaireTokenNeverLeavesInARecordedRequestPath()
    {
        using var services = Services();
        var instrumentation = services.GetRequiredService<IOptionsMonitor<AspNetCoreTraceInstrumentationOptions>>().Get(Options.DefaultName);
        using var activity = new Activity("request");
        activity.SetTag("url.path", "/api/respond/c3VydmV5.secret");
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/respond/c3VydmV5.secret";

        Assert.NotNull(instrumentation.EnrichWithHttpRequest);
        instrumentation.EnrichWithHttpRequest(activity, context.Request);

        Assert.Equal("/api/respond/{token}", activity.GetTagItem("url.path"));
        Assert.DoesNotContain("secret", activity.DisplayName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/respond/abc.def", "/api/respond/{token}")]
    [InlineData("/api/rounds/round-0123456789ab/lottery/verify", "/api/rounds/round-0123456789ab/lottery/verify")]
    public void OnlyTheTokenIsRedacted(string path, string recorded) => Assert.Equal(recorded, GrantsTelemetry.Redacted(path));

    [Theory]
    [InlineData("ClientId=0b1c2d3e-0000-4000-8000-000000000000;Authorization=AAD", "0b1c2d3e-0000-4000-8000-000000000000")]
    [InlineData("Authorization=AAD", null)]
    [InlineData(null, null)]
    public void TheClientIdIsReadFromTheAuthenticationString(string? setting, string? clientId) =>
        Assert.Equal(clientId, GrantsTelemetry.ManagedIdentityClientId(setting));

    private static ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [GrantsTelemetry.ConnectionSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost/",
            [GrantsTelemetry.AuthenticationSetting] = "ClientId=0b1c2d3e-0000-4000-8000-000000000000;Authorization=AAD",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGrantsTelemetry(configuration);
        return services.BuildServiceProvider();
    }
}

using Grants.LocalHost.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// A development signing key lets its holder mint any role. Only the local host accepts such tokens;
/// the function app as Azure runs it (Program.cs: the Functions builder and AddGrantsFunctions, nothing else) refuses to start with one.
/// </summary>
public sealed class DevelopmentKeyTests
{
    [Fact]
    public async Task TheFunctionAppRefusesToStartWithADevelopmentSigningKey()
    {
        using var host = FunctionApp(("Auth:DevelopmentSigningKey", DevelopmentTokens.NewSigningKey()));

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Auth:DevelopmentSigningKey", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFunctionAppStartsWithoutOne()
    {
        using var host = FunctionApp();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AStaffIssuerWithoutItsAudienceIsRefusedAtStart()
    {
        using var host = FunctionApp(("Auth:Staff:Authority", "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"));

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Auth:Staff", refusal.Message, StringComparison.Ordinal);
    }

    private static IHost FunctionApp(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Evaluation:PseudonymKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["GrantsStorage"] = "UseDevelopmentStorage=true",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddGrantsFunctions();
        return builder.Build();
    }
}

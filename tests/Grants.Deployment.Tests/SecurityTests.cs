using System.Text.Json.Nodes;
using Grants.Functions.Platform.Identity;

namespace Grants.Deployment.Tests;

/// <summary>What the deployment guarantees for security, checked on what infra/main.bicep creates.</summary>
public sealed class SecurityTests
{
    [Fact]
    public void EachIssuerIsTrustedForItsOwnAudience()
    {
        var settings = InfrastructureTests.AppSettings();
        Assert.Equal(MainTemplate.Sample("staffAuthority")!.GetValue<string>(), settings["Auth__Staff__Authority"]);
        Assert.Equal(MainTemplate.Sample("staffAudience")!.GetValue<string>(), settings["Auth__Staff__Audience"]);
        Assert.Equal(MainTemplate.Sample("organisationAuthority")!.GetValue<string>(), settings["Auth__Organisations__Authority"]);
        Assert.Equal(MainTemplate.Sample("organisationAudience")!.GetValue<string>(), settings["Auth__Organisations__Audience"]);
        Assert.DoesNotContain(settings.Keys, k => k == "Auth__Audience" || k.StartsWith("Auth__Issuers__", StringComparison.Ordinal));
        Assert.Equal("${GRANTS_STAFF_AUDIENCE}", ParameterFile("staffAudience"));
        Assert.Equal("${GRANTS_ORGANISATION_AUDIENCE}", ParameterFile("organisationAudience"));
    }

    [Fact]
    public void TheDevelopmentSigningKeyIsNeverSetInAzure()
    {
        Assert.DoesNotContain(InfrastructureTests.AppSettings().Keys, k => k.Contains(nameof(AuthOptions.DevelopmentSigningKey), StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(nameof(AuthOptions.DevelopmentSigningKey), MainTemplate.Compiled.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    private static string ParameterFile(string parameter) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(MainTemplate.Root, "infra", "main.parameters.json")))!["parameters"]![parameter]!["value"]!.GetValue<string>();
}

using System.Reflection;
using Grants.Functions;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Grants.Deployment.Tests;

/// <summary>
/// infra/ builds and lints with the Bicep CLI (from NuGet), and the Function App it deploys gets the
/// settings the code needs — and none the code does not read — on the runtime the package is built for.
/// </summary>
public sealed class InfrastructureTests
{
    /// <summary>Settings the Functions host reads itself (its storage by identity, telemetry authentication), not Grants' code.</summary>
    private static readonly string[] HostSettings =
    [
        "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>
    /// The open data names its publisher only where the environment sets one; otherwise the app's development publisher
    /// stands, so that an environment set up without them publishes nothing that passes for a ministry's data.
    /// </summary>
    [Fact]
    public void TheOpenDataPublisherIsTheEnvironmentsOrNone()
    {
        var unset = AppSettings(MainTemplate.Deploy());
        Assert.DoesNotContain(unset.Keys, k => k is "OpenData__GrantIdPrefix" or "OpenData__FunderOrgId" or "OpenData__FunderName");

        var set = AppSettings(MainTemplate.Deploy(("openDataGrantIdPrefix", "360G-minszw"), ("openDataFunderOrgId", "NL-OIN-00000001003214345000"), ("openDataFunderName", "Ministerie van SZW")));
        Assert.Equal(("360G-minszw", "NL-OIN-00000001003214345000", "Ministerie van SZW"), (set["OpenData__GrantIdPrefix"], set["OpenData__FunderOrgId"], set["OpenData__FunderName"]));
    }

    [Fact]
    public void TheTemplatesBuildAndLintWithoutErrorsOrWarnings()
    {
        var (exit, output, errors) = MainTemplate.Bicep("lint", "infra/main.bicep");
        Assert.True(exit == 0, errors);
        Assert.Equal(string.Empty, (output + errors).Trim());
        Assert.Equal("subscriptionDeploymentTemplate.json#", MainTemplate.Compiled["$schema"]!.GetValue<string>().Split('/')[^1]);
    }

    [Fact]
    public void EverySettingTheAppNeedsInAzureIsProvided()
    {
        var provided = AppSettings().Keys.ToHashSet();
        var missing = DependencyInjection.RequiredInAzure.Where(s => !provided.Contains(s)).ToList();
        Assert.True(missing.Count == 0, $"infra/app/function.bicep does not provide: {string.Join(", ", missing)}");
    }

    [Fact]
    public void TheBicepSetsNothingTheCodeDoesNotRead()
    {
        var readable = CodeSettings();
        var unread = AppSettings().Keys.Where(s => !HostSettings.Contains(s) && !readable.Any(pattern => pattern.IsMatch(s))).ToList();
        Assert.True(unread.Count == 0, $"infra/app/function.bicep sets settings no code reads: {string.Join(", ", unread)}");
    }

    [Fact]
    public void TheAppRunsOnTheRuntimeThePackageIsBuiltFor()
    {
        var runtime = Site().Properties!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        var framework = typeof(DependencyInjection).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()!.FrameworkName; // ".NETCoreApp,Version=v10.0"
        Assert.Equal(framework.Split("=v")[1], runtime["version"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", MainTemplate.Deploy().OfType("Microsoft.Web/serverfarms").Single().Body["sku"]!["tier"]!.GetValue<string>());
    }

    [Fact]
    public void EveryStorageAccountIsReachedByIdentityOnly()
    {
        var accounts = MainTemplate.Deploy().OfType("Microsoft.Storage/storageAccounts").ToList();
        Assert.NotEmpty(accounts);
        Assert.All(accounts, account =>
        {
            Assert.False(account.Properties!["allowSharedKeyAccess"]!.GetValue<bool>());
            Assert.False(account.Properties!["allowBlobPublicAccess"]!.GetValue<bool>());
            Assert.Equal("TLS1_2", account.Properties!["minimumTlsVersion"]!.GetValue<string>());
        });
        Assert.All(new[] { StorageAccount.HostConnectionName, StorageAccount.ConnectionName, StorageAccount.EvidenceConnectionName }, connection =>
            Assert.Equal("managedidentity", AppSettings()[$"{connection}__credential"]));
        Assert.Contains("@Microsoft.KeyVault(", AppSettings()["Mail__Smtp__Password"], StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentsThatRetentionDeletesLeaveNoVersionBehind()
    {
        var policy = MainTemplate.Deploy().OfType("Microsoft.Storage/storageAccounts/managementPolicies").Single();
        var rule = Assert.Single(policy.Properties!["policy"]!["rules"]!.AsArray())!["definition"]!;
        Assert.Equal(["attachments/", "decisions/"], rule["filters"]!["prefixMatch"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(30, rule["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"]!.GetValue<int>());
    }

    /// <summary>Every setting path the code can read: each bound options section (found in the service registrations) and its properties, the storage and evidence connections, telemetry.</summary>
    private static List<System.Text.RegularExpressions.Regex> CodeSettings()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddGrantsFunctions();
        var optionTypes = builder.Services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.GetField("SectionName") is not null)
            .Distinct()
            .ToList();
        Assert.True(optionTypes.Count >= 8, $"found only {optionTypes.Count} options sections");
        var paths = optionTypes.SelectMany(t => Paths((string)t.GetField("SectionName")!.GetValue(null)!, t)).ToList();
        paths.AddRange(new[] { "tableServiceUri", "blobServiceUri", "credential", "clientId" }.Select(k => $"{StorageAccount.ConnectionName}__{k}"));
        paths.Add(StorageAccount.ConnectionName);
        paths.AddRange(new[] { "blobServiceUri", "credential", "clientId" }.Select(k => $"{StorageAccount.EvidenceConnectionName}__{k}"));
        paths.Add(StorageAccount.EvidenceConnectionName);
        paths.Add(DependencyInjection.ApplicationInsightsSetting);
        return [.. paths.Select(p => new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(p).Replace("\\{n}", "[0-9]+", StringComparison.Ordinal) + "$"))];
    }

    private static IEnumerable<string> Paths(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = $"{prefix}__{property.Name}";
            var t = property.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            {
                foreach (var path in Paths($"{name}__{{n}}", t.GetGenericArguments()[0]))
                {
                    yield return path;
                }
            }
            else if (t.IsClass && t != typeof(string))
            {
                foreach (var path in Paths(name, t))
                {
                    yield return path;
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    internal static Dictionary<string, string> AppSettings(ArmDeployment? deployment = null) =>
        Site(deployment).Properties!["siteConfig"]!["appSettings"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.ToString());

    internal static DeployedResource Site(ArmDeployment? deployment = null) => (deployment ?? MainTemplate.Deploy()).OfType("Microsoft.Web/sites").Single();
}

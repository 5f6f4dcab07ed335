using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
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
    private static readonly string Root = PublishPackageTests.PublishedApp.RepositoryRoot;
    private static readonly Lazy<JsonObject> Template = new(() => JsonNode.Parse(Bicep("build", "infra/main.bicep", "--stdout").Output)!.AsObject());

    /// <summary>Settings the Functions host reads itself (its storage by identity, telemetry authentication), not Grants' code.</summary>
    private static readonly string[] HostSettings =
    [
        "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    [Fact]
    public void TheTemplatesBuildAndLintWithoutErrorsOrWarnings()
    {
        var (exit, output, errors) = Bicep("lint", "infra/main.bicep");
        Assert.True(exit == 0, errors);
        Assert.Equal(string.Empty, (output + errors).Trim());
        Assert.Equal("subscriptionDeploymentTemplate.json#", Template.Value["$schema"]!.GetValue<string>().Split('/')[^1]);
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
        var runtime = Site()["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        var framework = typeof(DependencyInjection).Assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>()!.FrameworkName; // ".NETCoreApp,Version=v10.0"
        Assert.Equal(framework.Split("=v")[1], runtime["version"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", Resources().Single(r => r["type"]!.GetValue<string>() == "Microsoft.Web/serverfarms")["sku"]!["tier"]!.GetValue<string>());
    }

    [Fact]
    public void StorageIsReachedByIdentityOnlyAndEvidenceIsWriteOnce()
    {
        var account = Resources().Single(r => r["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts");
        Assert.False(account["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(account["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Contains(Resources(), r => r["type"]!.GetValue<string>().EndsWith("containers/immutabilityPolicies", StringComparison.Ordinal));
        Assert.Equal("managedidentity", AppSettings()["GrantsStorage__credential"]);
        Assert.Contains("@Microsoft.KeyVault(", AppSettings()["Mail__Smtp__Password"], StringComparison.Ordinal);
    }

    [Fact]
    public void DocumentsThatRetentionDeletesLeaveNoVersionBehind()
    {
        var policy = Resources().Single(r => r["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(policy["properties"]!["policy"]!["rules"]!.AsArray())!["definition"]!;
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

    private static Dictionary<string, string> AppSettings() =>
        Site()["properties"]!["siteConfig"]!["appSettings"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["value"]!.ToString());

    private static JsonNode Site() => Resources().Single(r => r["type"]!.GetValue<string>() == "Microsoft.Web/sites");

    /// <summary>All resources of the compiled template, modules (nested deployments) included.</summary>
    private static List<JsonNode> Resources()
    {
        var all = new List<JsonNode>();
        void Walk(JsonNode template)
        {
            var resources = template["resources"];
            var list = resources is JsonObject map ? map.Select(kv => kv.Value!) : resources!.AsArray().Select(r => r!);
            foreach (var resource in list)
            {
                all.Add(resource);
                if (resource["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && resource["properties"]!["template"] is { } nested)
                {
                    Walk(nested);
                }
            }
        }

        Walk(Template.Value);
        return all;
    }

    private static (int Exit, string Output, string Errors) Bicep(params string[] arguments)
    {
        var cli = typeof(InfrastructureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(cli) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(3));
        return (process.ExitCode, output.Result, errors.Result);
    }
}

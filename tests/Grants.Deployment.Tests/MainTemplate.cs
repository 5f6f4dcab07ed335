using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Grants.Deployment.Tests;

/// <summary>infra/main.bicep built once per test run with the Bicep CLI (from NuGet), and deployed offline with sample parameters.</summary>
internal static class MainTemplate
{
    private static readonly Lazy<JsonObject> Built = new(() => JsonNode.Parse(Bicep("build", "infra/main.bicep", "--stdout").Output)!.AsObject());

    /// <summary>What an operator puts in the azd environment (docs/deploy.md); everything else keeps its default.</summary>
    private static readonly Dictionary<string, JsonNode?> SampleParameters = new()
    {
        ["environmentName"] = "grants-test",
        ["location"] = "westeurope",
        ["smtpHost"] = "smtp.example.nl",
        ["smtpUserName"] = "grants@example.nl",
        ["smtpPassword"] = "smtp-secret",
        ["pseudonymKey"] = Convert.ToBase64String(new byte[32]),
        ["mailFrom"] = "Subsidies <noreply@example.nl>",
        ["ministryMailbox"] = "subsidies@example.nl",
        ["staffAuthority"] = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0",
        ["staffAudience"] = "22222222-2222-2222-2222-222222222222",
        ["organisationAuthority"] = "https://broker.example.nl/oidc",
        ["organisationAudience"] = "grants-broker-client",
    };

    public static string Root { get; } = PublishPackageTests.PublishedApp.RepositoryRoot;

    public static JsonObject Compiled => Built.Value;

    public static JsonNode? Sample(string parameter) => SampleParameters[parameter]?.DeepClone();

    /// <summary>The resources a deployment with the sample parameters, changed by <paramref name="overrides"/>, creates.</summary>
    public static ArmDeployment Deploy(params (string Name, JsonNode? Value)[] overrides)
    {
        var parameters = SampleParameters.ToDictionary(p => p.Key, p => p.Value?.DeepClone());
        foreach (var (name, value) in overrides)
        {
            parameters[name] = value;
        }

        return ArmDeployment.Of(Compiled, parameters);
    }

    public static (int Exit, string Output, string Errors) Bicep(params string[] arguments)
    {
        var cli = typeof(MainTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
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

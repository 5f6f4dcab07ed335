using System.Diagnostics;
using System.Text.Json.Nodes;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// The committed OpenAPI document passes Spectral's OpenAPI rules (.spectral.yaml; Spectral pinned in package.json
/// and installed with the other npm tools when the local host is built).
/// </summary>
public sealed class OpenApiLintTests
{
    [Fact]
    public async Task TheDocumentPassesSpectralsOpenApiRules()
    {
        var spectral = Path.Combine(RepositoryPaths.Root, "node_modules", "@stoplight", "spectral-cli", "dist", "index.js");
        Assert.True(File.Exists(spectral), $"Spectral is not installed: run 'npm ci' in the repository root.");
        var start = new ProcessStartInfo("node", [spectral, "lint", "contracts/openapi.json", "--ruleset", ".spectral.yaml", "--format", "json", "--quiet"])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        var findings = JsonNode.Parse(await output)?.AsArray() ?? throw new InvalidOperationException($"Spectral printed no report: {await errors}");
        var described = findings.Select(f => $"{f!["code"]} at {string.Join('.', f["path"]!.AsArray())}: {f["message"]}").ToList();
        Assert.True(described.Count == 0, string.Join(Environment.NewLine, described));
        Assert.Equal(0, process.ExitCode);
    }
}

using System.Diagnostics;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// The TypeScript client (clients/typescript: openapi-typescript over openapi-fetch) is generated from the committed
/// document and built, and its test (tests/typescript, type-checked against the client) runs with node --test
/// against this API.
/// </summary>
public sealed class TypeScriptClientTests(GrantsApi api)
{
    [Fact]
    public async Task TheGeneratedTypeScriptClientBuildsAndWorksAgainstTheApi()
    {
        await NodeAsync("node_modules/openapi-typescript/bin/cli.js", "contracts/openapi.json", "--output", "clients/typescript/src/schema.ts");
        await NodeAsync("node_modules/typescript/bin/tsc", "--project", "clients/typescript/tsconfig.json");
        await NodeAsync("node_modules/typescript/bin/tsc", "--project", "tests/typescript/tsconfig.json");

        var output = await NodeAsync(new Dictionary<string, string>
        {
            ["GRANTS_URL"] = api.Host.BaseAddress.ToString().TrimEnd('/'),
            ["GRANTS_MINISTRY_TOKEN"] = api.Token(Roles.Ministry),
        }, "--test", "tests/typescript/client.test.js");

        Assert.Contains("# pass 3", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    private static Task<string> NodeAsync(params string[] arguments) => NodeAsync(new Dictionary<string, string>(), arguments);

    private static async Task<string> NodeAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"node {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        return await output;
    }
}

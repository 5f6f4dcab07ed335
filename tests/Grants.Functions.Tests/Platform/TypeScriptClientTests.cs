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
        // The client's own build (clients/typescript/package.json): generate the types, compile.
        await RunAsync("npm", new Dictionary<string, string>(), "--prefix", "clients/typescript", "run", "build");
        await RunAsync("node", new Dictionary<string, string>(), "node_modules/typescript/bin/tsc", "--project", "tests/typescript/tsconfig.json");

        var output = await RunAsync("node", new Dictionary<string, string>
        {
            ["GRANTS_URL"] = api.Host.BaseAddress.ToString().TrimEnd('/'),
            ["GRANTS_MINISTRY_TOKEN"] = api.Token(Roles.Ministry),
        }, "--test", "tests/typescript/client.test.js");

        Assert.Contains("# pass 3", output, StringComparison.Ordinal);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string program, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
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
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        return await output;
    }
}

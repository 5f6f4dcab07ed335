using Grants.LocalHost;

// Runs the Grants function app locally; `grants up` starts it with everything it needs.
var options = new LocalHostOptions { Args = args };
if (Environment.GetEnvironmentVariable("GRANTS_URL") is { Length: > 0 } url)
{
    options.Url = url;
}

await using var host = await LocalFunctionsHost.StartAsync(options, CancellationToken.None);
Console.WriteLine($"Grants API listening on {host.BaseAddress}");
await host.App.WaitForShutdownAsync();

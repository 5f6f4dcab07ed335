using System.CommandLine;
using Grants.Functions.Platform.Identity;
using Grants.LocalHost;
using Grants.LocalHost.Services;
using Microsoft.Extensions.Hosting;

namespace Grants.Cli.Commands;

/// <summary>
/// <c>grants up</c>: Azurite in memory, the function app on the local host, mail to a folder, and a
/// development token per role. Ctrl-C stops all of it.
/// </summary>
public static class UpCommand
{
    /// <summary>A sample organisation (KvK number) for the applicant and supplier tokens.</summary>
    private const string SampleOrganisation = "12345678";

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Where the API listens", DefaultValueFactory = _ => "http://localhost:7071" };
        var command = new Command("up", "Run Grants locally on embedded defaults") { url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // A developer's machine: Development, unless the environment says otherwise.
            var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Development;
            await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions { Url = parse.GetValue(url)!, EnvironmentName = environment }, cancellationToken);
            var api = host.BaseAddress.ToString().TrimEnd('/');
            var root = RepositoryRoot.Find();
            Console.WriteLine();
            Console.WriteLine("Grants is running. Ctrl-C stops it and everything it started.");
            Console.WriteLine($"  API            {api}/api   (health: {api}/api/health)");
            Console.WriteLine($"  API reference  {api}{LocalFunctionsHost.ApiReferencePath}   (OpenAPI: {api}/api/openapi.json)");
            Console.WriteLine($"  Mail folder    {Path.Combine(root, ".grants", "mail")}");
            Console.WriteLine($"  Storage        Azurite in memory (data is gone when you stop)");
            Console.WriteLine("  Development tokens (12 h), use as 'Authorization: Bearer <token>':");
            foreach (var role in Roles.All)
            {
                var organisation = role is Roles.Applicant or Roles.Supplier ? SampleOrganisation : null;
                Console.WriteLine($"    {role,-10} {DevTokenCommand.Issue(role, organisation, null, TimeSpan.FromHours(12))}");
            }

            Console.WriteLine();
            await host.App.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Grants.Functions;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Grants.Cli.Commands;

/// <summary>
/// <c>grants storage repair-indexes [--connection CONN]</c>: writes again every index row the stored aggregates call for
/// and lack (docs/decisions/0018): after an upgrade from a release without an index, or after index rows were lost. It
/// reads the storage settings the function app reads (<c>GrantsStorage</c>, or <c>GrantsStorage__tableServiceUri</c> with
/// its credential settings), from the environment, or the connection string given.
/// </summary>
public static class StorageCommand
{
    public static Command Create()
    {
        var connection = new Option<string?>("--connection") { Description = $"A storage connection string (else the {StorageAccount.ConnectionName} settings in the environment, as the function app reads them)" };
        var repair = new Command("repair-indexes", "Write the index rows the stored aggregates call for and lack; safe beside the running app, and to run again") { connection };
        repair.SetAction((parse, cancellationToken) => RepairIndexesAsync(parse.GetValue(connection), Console.Out, Console.Error, cancellationToken));
        return new Command("storage", "Operate the storage account") { repair };
    }

    public static async Task<int> RepairIndexesAsync(string? connection, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables();
        if (connection is not null)
        {
            builder.Configuration[StorageAccount.ConnectionName] = connection;
        }

        builder.AddGrantsFunctions();
        using var host = builder.Build();
        try
        {
            foreach (var repair in host.Services.GetServices<IIndexRepair>())
            {
                var written = await repair.RepairAsync(cancellationToken);
                stdout.WriteLine($"{repair.Indexes}: {written} missing, written now");
            }
        }
        catch (Exception e) when (e is Azure.RequestFailedException or InvalidOperationException or AggregateException)
        {
            // Every row written so far is a row that was missing: running the command again goes on from there.
            stderr.WriteLine($"cannot repair the indexes: {e.Message}");
            return 1;
        }

        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Grants.LocalHost.Services;

namespace Grants.Benchmarks;

/// <summary>
/// How the emulator itself slows as it fills (docs/benchmarks.md, "Round-wide work"): no product code, only the
/// Azure SDK against a fresh Azurite. In steps of <see cref="Step"/> it writes that many 4 kB blobs into one container
/// and that many table rows, each in a partition of its own, read back and replaced under its ETag, 16 calls in flight, and
/// times each step; after each step, one point read and one query for one partition. A rate that falls as the
/// emulator holds more is a cost of the emulator, which every API benchmark on it inherits.
/// </summary>
public static class EmulatorBenchmark
{
    private const int Step = 10_000;
    private const int InFlight = 16;
    private const int Samples = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        await using var azurite = await AzuriteProcess.StartAsync(CancellationToken.None);
        var container = new BlobContainerClient(azurite.ConnectionString, "growth");
        await container.CreateIfNotExistsAsync();
        var table = new TableClient(azurite.ConnectionString, "growth");
        await table.CreateIfNotExistsAsync();
        var content = BinaryData.FromBytes(new byte[4_000]);

        Console.WriteLine("| blobs and rows held | blob uploads/s | table rows inserted, read and replaced/s | one point read (ms) | one partition's query (ms) |");
        Console.WriteLine("|---|---|---|---|---|");
        for (var held = 0; held < total; held += Step)
        {
            var from = held;
            var blobs = await RateAsync(i => container.GetBlobClient($"growth/{from + i:D7}.pdf").UploadAsync(content));
            var rows = await RateAsync(async i =>
            {
                var partition = $"growth-{from + i:D7}";
                await table.AddEntityAsync(new TableEntity(partition, "state") { ["Json"] = new string('x', 2_000) });
                var read = (await table.GetEntityAsync<TableEntity>(partition, "state")).Value;
                await table.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace);
            });
            var read = await MedianMillisecondsAsync(() => table.GetEntityAsync<TableEntity>($"growth-{from:D7}", "state"));
            var query = await MedianMillisecondsAsync(async () => await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {$"growth-{from:D7}"}")).CountAsync());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {held + Step:N0} | {blobs:F0} | {rows:F0} | {read:F1} | {query:F1} |"));
        }

        return 0;
    }

    private static async Task<double> RateAsync(Func<int, Task> call)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Step), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) => await call(i));
        return Step / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> MedianMillisecondsAsync(Func<Task> call)
    {
        var samples = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Timing.Median(samples);
    }
}

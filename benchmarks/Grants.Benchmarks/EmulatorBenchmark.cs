using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Grants.Functions.Platform.Storage;
using Grants.LocalHost.Services;

namespace Grants.Benchmarks;

/// <summary>
/// How the emulator itself slows as it fills (docs/benchmarks.md, "Round-wide work"): no product code, only the
/// Azure SDK against a fresh Azurite. In steps of <see cref="Step"/> it writes that many 4 kB blobs into one container
/// and that many table rows, each in a partition of its own, read back and replaced under its ETag, 16 calls in flight, and
/// times each step; after each step, one point read and one query for one partition. A rate that falls as the
/// emulator holds more is a cost of the emulator, which every API benchmark on it inherits.
/// Then, in a table of its own, how a write costs as its partition fills: rows written as the product writes a mail's
/// pointer (one upsert in one of <see cref="OutboxIndex.Partitions"/> partitions, docs/decisions/0018) beside the same
/// rows each in a partition of its own, step by step until each of the shared partitions holds the given number.
/// </summary>
public static class EmulatorBenchmark
{
    private const int Step = 10_000;
    private const int InFlight = 16;
    private const int Samples = 20;
    private const int PileStep = 20_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var pile = args.SkipWhile(a => a != "--pile").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(25_000);
        await using var azurite = await AzuriteProcess.StartAsync(CancellationToken.None);
        if (args.Contains("--protocol-write"))
        {
            await ProtocolWriteAsync(azurite.ConnectionString);
            return 0;
        }

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

        if (pile > 0)
        {
            await PilesAsync(new TableClient(azurite.ConnectionString, "piles"), pile);
        }

        return 0;
    }

    /// <summary>
    /// Rows as a mail's pointer is written, into the shared partitions as they fill, against the same rows each into a
    /// partition of its own in the same table, the two interleaved step by step so both meet the same table size.
    /// </summary>
    private static async Task PilesAsync(TableClient table, int perPartition)
    {
        await table.CreateIfNotExistsAsync();
        var perStep = PileStep / OutboxIndex.Partitions;
        Console.WriteLine();
        Console.WriteLine($"| rows in each of the {OutboxIndex.Partitions} shared partitions | upserts into the shared partitions/s | the same, each into a partition of its own/s | shared / own |");
        Console.WriteLine("|---|---|---|---|");
        for (var held = 0; held < perPartition; held += perStep)
        {
            var from = held * OutboxIndex.Partitions;
            var shared = await RateAsync(i => Pointer(table, $"outbox-due-{i % OutboxIndex.Partitions}", from + i), PileStep);
            var own = await RateAsync(i => Pointer(table, $"own-{from + i:D7}", from + i), PileStep);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {held + perStep:N0} | {shared:F0} | {own:F0} | {shared / own:F2} |"));
        }
    }

    /// <summary>A pointer's row: as <see cref="OutboxIndex"/> writes one, an upsert in a transaction of its own, with a row key that sorts by time.</summary>
    private static Task Pointer(TableClient table, string partition, int i) =>
        table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(partition, $"mail|{DateTimeOffset.UtcNow.UtcTicks:D19}|app-round-{i:D7}|{AggregateStore.OutboxRowPrefix}0000000002.0")
            {
                ["AggregateId"] = $"app-round-{i:D7}",
                ["Rows"] = $"{AggregateStore.OutboxRowPrefix}0000000002.0",
                ["CreatedAt"] = DateTimeOffset.UtcNow,
            })]);

    /// <summary>
    /// One blob the size of a 50,000-application protocol (19.5 MB, as the product writes one: indented JSON) written once, idle
    /// and under load, as one PUT and as blocks staged in parallel, beside 50,000 small blobs and 100,000 table rows held. The
    /// load is 128 calls in flight: 124 point reads and 4 partition queries, each of which walks the table. What a request
    /// that writes a whole protocol waits for on the emulator, whatever the product around it does.
    /// </summary>
    private static async Task ProtocolWriteAsync(string connectionString)
    {
        var container = new BlobContainerClient(connectionString, "protocols");
        await container.CreateIfNotExistsAsync();
        var table = new TableClient(connectionString, "load");
        await table.CreateIfNotExistsAsync();
        await RateAsync(i => table.AddEntityAsync(new TableEntity($"load-{i:D7}", "state") { ["Json"] = new string('x', 2_000) }), 100_000);
        var small = BinaryData.FromBytes(new byte[4_000]);
        await RateAsync(i => container.GetBlobClient($"attachments/{i:D7}.pdf").UploadAsync(small), 50_000);
        var content = BinaryData.FromBytes(Enumerable.Range(0, 19_500_000).Select(i => (byte)('a' + i % 26)).ToArray());
        foreach (var loaded in new[] { false, true })
        {
            using var stop = new CancellationTokenSource();
            var load = loaded ? Task.WhenAll(Enumerable.Range(0, 128).Select(async k =>
            {
                var n = 0;
                while (!stop.IsCancellationRequested)
                {
                    if (k < 4)
                    {
                        await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {$"load-{n++ % 100_000:D7}"}")).CountAsync();
                    }
                    else
                    {
                        await table.GetEntityAsync<TableEntity>($"load-{(k * 7919 + n++) % 100_000:D7}", "state");
                    }
                }
            })) : Task.CompletedTask;
            await Task.Delay(2_000);
            var variants = new[] { ("one PUT", 0, 1), ("blocks of 4 MiB, 8 at once", 4 << 20, 8), ("blocks of 1 MiB, 16 at once", 1 << 20, 16) };
            var times = variants.ToDictionary(v => v.Item1, _ => new List<double>());
            for (var sample = 0; sample < 5; sample++)
            {
                foreach (var (name, size, concurrency) in variants)
                {
                    var clock = Stopwatch.StartNew();
                    await container.GetBlobClient($"{Guid.NewGuid()}").UploadAsync(content, new BlobUploadOptions
                    {
                        TransferOptions = size == 0 ? default : new StorageTransferOptions { InitialTransferSize = size, MaximumTransferSize = size, MaximumConcurrency = concurrency },
                    });
                    times[name].Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            foreach (var (name, list) in times)
            {
                Console.WriteLine($"{(loaded ? "under load" : "idle")}, {name}: median {Timing.Median(list):F0} ms (all: {string.Join(", ", list.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))})");
            }

            stop.Cancel();
            await load;
        }
    }

    private static async Task<double> RateAsync(Func<int, Task> call, int count = Step)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) => await call(i));
        return count / clock.Elapsed.TotalSeconds;
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

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Grants.Contracts.Applications;
using Grants.Contracts.Organisations;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.LocalHost;
using Grants.LocalHost.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Benchmarks;

/// <summary>
/// Submissions under load (docs/design.md §6): applications arriving in a rush, each a
/// <c>POST /api/rounds/{id}/applications</c> with complete content and an Idempotency-Key, from 8 to
/// 64 concurrent clients through the local host, against the floor of raw Azurite inserts of the same
/// state row at the same concurrency, in one run on one machine. Counts the product's storage calls
/// per submission to show where the time goes.
/// </summary>
public static class LoadBenchmark
{
    private const int WithoutKeyConcurrency = 16;
    private const int WarmUpConcurrency = 16;

    /// <summary>
    /// Organisations registered beforehand for each level (and the warm-up): every start comes from an
    /// organisation of its own, as in a rush, so this bounds a level's requests.
    /// </summary>
    private const int OrganisationsPerLevel = 9_000;

    /// <summary>Each level alternates floor and submissions this many times, so that drift in the machine's speed hits both alike.</summary>
    private const int Repetitions = 3;

    private const int MaxRequestsPerLevel = 20_000;

    private static readonly int[] Concurrency = [8, 16, 32, 64];
    private static readonly TimeSpan PartDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan FloorDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WarmUpDuration = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync()
    {
        var mail = Directory.CreateTempSubdirectory("grants-load-mail-");
        try
        {
            return await MeasureAsync(mail.FullName);
        }
        finally
        {
            mail.Delete(recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(string mailFolder)
    {
        var invariant = CultureInfo.InvariantCulture;
        var storageCalls = new StorageCallCounter();
        var auth = BenchmarkHost.NewAuth();
        var options = BenchmarkHost.Options(auth, mailFolder);
        options.ConfigureServices = services => services.AddSingleton(new StorageClientOptions().AddPolicy(storageCalls, HttpPipelinePosition.PerRetry));
        await using var host = await LocalFunctionsHost.StartAsync(options, CancellationToken.None);
        var azurite = ChildProcesses.OfCurrentProcess();

        string Token(string role, string subject, string? organisation = null) => BenchmarkHost.Token(auth, role, subject, organisation);

        // Untimed preparation: one open round, and the organisations that will apply to it, each once.
        using var ministry = new HttpClient { BaseAddress = host.BaseAddress };
        ministry.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(Roles.Ministry, "beleidsmedewerker"));
        var roundId = await OpenRoundAsync(ministry);
        using var registrar = new HttpClient { BaseAddress = host.BaseAddress };
        var kvk = 30_000_000;
        async Task<ConcurrentQueue<Organisation>> RegisterAsync(int count)
        {
            var registered = new ConcurrentQueue<Organisation>();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
            {
                var number = Interlocked.Increment(ref kvk).ToString(invariant);
                var token = Token(Roles.Applicant, $"user-{number}", number);
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/organisations")
                {
                    Content = JsonContent.Create(new RegisterOrganisationRequest(number, $"Organisatie {number} BV", "industry", "medium", false, "nl", "P. Jansen", $"contact-{number}@example.org")),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                (await registrar.SendAsync(request, ct)).EnsureSuccessStatusCode();
                registered.Enqueue(new Organisation(number, token));
            });
            return registered;
        }

        var preparing = Stopwatch.StartNew();
        var warmUpOrganisations = await RegisterAsync(OrganisationsPerLevel);
        var organisations = new Dictionary<(int, bool), ConcurrentQueue<Organisation>>();
        foreach (var level in Concurrency)
        {
            organisations[(level, true)] = await RegisterAsync(OrganisationsPerLevel);
        }

        organisations[(WithoutKeyConcurrency, false)] = await RegisterAsync(OrganisationsPerLevel);
        Console.WriteLine($"registered {OrganisationsPerLevel * (Concurrency.Length + 2):N0} organisations in {preparing.Elapsed.TotalSeconds:F0} s (untimed)");
        var body = JsonSerializer.SerializeToUtf8Bytes(new StartApplicationRequest(BenchmarkHost.Content()), JsonSerializerOptions.Web);

        // The floor inserts copies of an application's state row exactly as the product wrote it.
        var floor = new TableClient(host.AzuriteConnectionString, "loadfloor");
        await floor.CreateIfNotExistsAsync();
        var firstApplicant = warmUpOrganisations.First().Kvk;
        _ = await SubmitAsync(warmUpOrganisations, WarmUpConcurrency, host.BaseAddress, roundId, body, idempotencyKey: true, WarmUpDuration, azurite);
        var aggregates = new TableClient(host.AzuriteConnectionString, TableNames.Aggregates);
        var stateRow = (await aggregates.GetEntityAsync<TableEntity>(Application.IdFor(roundId, firstApplicant), AggregateStore.StateRowKey)).Value;
        var row = Properties(stateRow);
        var auditRow = Properties((await aggregates.GetEntityAsync<TableEntity>(stateRow.PartitionKey, $"{AggregateStore.AuditRowPrefix}{1:D10}")).Value);
        _ = await InsertAsync(floor, row, "warm-up", WarmUpConcurrency, WarmUpDuration, azurite);
        Console.WriteLine($"state row: {row.Count} properties, {JsonSerializer.SerializeToUtf8Bytes(row).Length:N0} bytes as JSON; request body {body.Length:N0} bytes");

        var submissions = new List<Submissions>();
        foreach (var clients in Concurrency)
        {
            foreach (var key in clients == WithoutKeyConcurrency ? new[] { true, false } : [true])
            {
                storageCalls.Reset();
                var floorParts = new List<Level>();
                var apiParts = new List<Level>();
                for (var part = 0; part < Repetitions; part++)
                {
                    floorParts.Add(await InsertAsync(floor, row, $"c{clients}{(key ? "k" : "n")}{part}", clients, PartDuration, azurite));
                    apiParts.Add(await SubmitAsync(organisations[(clients, key)], clients, host.BaseAddress, roundId, body, key, PartDuration, azurite));
                }

                var ratios = floorParts.Zip(apiParts, (f, a) => a.Rate / f.Rate).ToArray();
                var level = new Submissions(clients, key, Level.Combine(apiParts), Level.Combine(floorParts), ratios, storageCalls.Calls, storageCalls.Waited, storageCalls.ByKind);
                submissions.Add(level);
                Console.WriteLine($"{level.Name}: {level.Api.Rate:F0} submissions/s (p50 {level.Api.Percentile(0.50):F1} ms, p99 {level.Api.Percentile(0.99):F1} ms, {level.Api.Failures} failed), " +
                    $"{level.CallsPerSubmission:F2} storage calls per submission; raw inserts alongside {level.Floor.Rate:F0}/s; ratio {level.Ratio:F2} " +
                    $"(pairs {string.Join(" ", ratios.Select(r => r.ToString("F2", invariant)))})");
            }
        }

        // What each kind of call a submission makes costs Azurite, at 8 workers: the floor any design of the submission has to pay.
        var calls = new (string Kind, Level Level)[]
        {
            ("insert (one row)", await InsertAsync(floor, row, "cost", 8, FloorDuration, azurite)),
            ("point read (an existing row)", await DriveAsync(8, int.MaxValue, FloorDuration, azurite, async (_, _) =>
                (await floor.GetEntityIfExistsAsync<TableEntity>("app-floor-cost-0-0", AggregateStore.StateRowKey)).HasValue)),
            ("replace (an existing row, unconditional)", await DriveAsync(8, int.MaxValue, FloorDuration, azurite, async (worker, _) =>
            {
                await floor.UpsertEntityAsync(new TableEntity(row) { PartitionKey = $"app-floor-cost-{worker}-0", RowKey = AggregateStore.StateRowKey }, TableUpdateMode.Replace);
                return true;
            })),
            ("transaction (state row and first audit row, as a start writes them)", await DriveAsync(8, int.MaxValue, FloorDuration, azurite, async (worker, i) =>
            {
                var partition = $"app-floor-tx-{worker}-{i}";
                await floor.SubmitTransactionAsync([
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(row) { PartitionKey = partition, RowKey = AggregateStore.StateRowKey }),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(auditRow) { PartitionKey = partition, RowKey = $"{AggregateStore.AuditRowPrefix}{1:D10}" })]);
                return true;
            })),
        };
        Console.WriteLine();
        Console.WriteLine("| storage call, 8 workers | calls/s | Azurite CPU per call (ms) | relative to an insert |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (kind, level) in calls)
        {
            Console.WriteLine($"| {kind} | {level.Rate:F0} | {level.StorageCpuMsPerRequest:F2} | {level.StorageCpuMsPerRequest / calls[0].Level.StorageCpuMsPerRequest:F2} |");
        }


        Console.WriteLine();
        Console.WriteLine("| concurrent clients | submissions/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | raw Azurite inserts/s (floor) | ratio | ratio per pair |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in submissions)
        {
            Console.WriteLine($"| {s.Name} | {s.Api.Rate:F0} | {s.Api.Percentile(0.50):F1} | {s.Api.Percentile(0.95):F1} | {s.Api.Percentile(0.99):F1} | {s.Api.Percentile(1):F1} | {s.Floor.Rate:F0} | {s.Ratio:F2} | " +
                $"{string.Join(" ", s.PairRatios.Select(r => r.ToString("F2", invariant)))} |");
        }

        // Where the time goes: per request, the storage calls and their time, and the CPU of both processes.
        Console.WriteLine();
        Console.WriteLine("| per request | requests/s | mean latency (ms) | storage calls | storage call time (ms) | .NET process CPU, host and clients (ms) | Azurite CPU (ms) | Azurite busy (cores) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var s in submissions)
        {
            var raw = s.Floor;
            var suffix = s.IdempotencyKey ? "" : " without Idempotency-Key";
            Console.WriteLine($"| raw insert, {s.Clients} workers{(s.IdempotencyKey ? "" : ", alongside the level" + suffix)} | {raw.Rate:F0} | {raw.Mean:F1} | 1 | {raw.Mean:F1} | {raw.CpuMsPerRequest:F2} | {raw.StorageCpuMsPerRequest:F2} | {raw.StorageBusyCores:F2} |");
            Console.WriteLine($"| submission, {s.Clients} clients{suffix} | {s.Api.Rate:F0} | {s.Api.Mean:F1} | {s.CallsPerSubmission:F2} | {s.StorageMsPerSubmission:F1} | {s.Api.CpuMsPerRequest:F2} | {s.Api.StorageCpuMsPerRequest:F2} | {s.Api.StorageBusyCores:F2} |");
        }

        Console.WriteLine();
        foreach (var s in submissions.Where(s => s.Clients == WithoutKeyConcurrency))
        {
            var kinds = string.Join(", ", s.ByKind.Select(k => string.Create(invariant, $"{k.Key} {k.Value / (double)Math.Max(s.Api.Count, 1):F2}")));
            Console.WriteLine($"storage calls per submission, {s.Name}: {kinds}");
        }

        var failures = submissions.Sum(s => s.Api.Failures);
        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} submissions failed; see the log above.");
            return 1;
        }

        return 0;
    }

    /// <summary>A scheme with one round, open now, that the rush applies to.</summary>
    private static async Task<string> OpenRoundAsync(HttpClient ministry)
    {
        string Local(TimeSpan fromNow) => AmsterdamTime.ToLocal(DateTimeOffset.UtcNow + fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

        var scheme = await ReadAsync<SchemeResponse>(await ministry.PostAsJsonAsync("api/schemes", new CreateSchemeRequest("Load benchmark scheme", "ProjectSubsidy")));
        var configuration = new RoundConfigurationDto(2008, 7_000_000_00, 120_000_00, "ProjectSubsidy", null, ["smarter-working", "flexible-work-organisation", "new-relations-at-work"],
            null, Local(TimeSpan.FromMinutes(-1)), Local(TimeSpan.FromDays(1)), null, [12, 24],
            new ConsentTextDto("Wij werken mee aan het vervolgonderzoek, ook als wij niet worden ingeloot.", "We take part in the follow-up research, also if we are not drawn."));
        var round = await ReadAsync<RoundResponse>(await ministry.PostAsJsonAsync($"api/schemes/{scheme.Id}/rounds", new CreateRoundRequest("Load round", configuration)));
        (await ministry.PostAsync($"api/rounds/{round.Id}/open", null)).EnsureSuccessStatusCode();
        return round.Id;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>A stored row's own properties, without its keys and the service's timestamp and ETag.</summary>
    private static Dictionary<string, object> Properties(TableEntity stored) =>
        stored.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).ToDictionary(p => p.Key, p => p.Value);


    /// <summary>Each client starts applications for organisations taken from the queue, each organisation once, until the time is up or the queue is empty.</summary>
    private static async Task<Level> SubmitAsync(ConcurrentQueue<Organisation> organisations, int clients, Uri baseAddress, string roundId, byte[] body, bool idempotencyKey, TimeSpan duration, ChildProcesses azurite)
    {
        var http = Enumerable.Range(0, clients).Select(_ => new HttpClient { BaseAddress = baseAddress }).ToArray();
        try
        {
            return await DriveAsync(clients, organisations.Count / clients, duration, azurite, async (client, _) =>
            {
                if (!organisations.TryDequeue(out var organisation))
                {
                    throw new InvalidOperationException("No registered organisation left for this level.");
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, $"api/rounds/{roundId}/applications") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", organisation.Token);
                if (idempotencyKey)
                {
                    request.Headers.Add(IdempotentRequests.HeaderName, Guid.NewGuid().ToString("N"));
                }

                using var response = await http[client].SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Console.Error.WriteLine($"{(int)response.StatusCode} for {organisation.Kvk}: {await response.Content.ReadAsStringAsync()}");
                    return false;
                }

                return true;
            });
        }
        finally
        {
            foreach (var client in http)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>The floor: each worker adds copies of the state row, each in a partition of its own, as applications are stored.</summary>
    private static Task<Level> InsertAsync(TableClient table, Dictionary<string, object> row, string prefix, int workers, TimeSpan duration, ChildProcesses azurite) =>
        DriveAsync(workers, int.MaxValue, duration, azurite, async (worker, i) =>
        {
            await table.AddEntityAsync(new TableEntity(row) { PartitionKey = $"app-floor-{prefix}-{worker}-{i}", RowKey = AggregateStore.StateRowKey });
            return true;
        });

    /// <summary>
    /// <paramref name="workers"/> closed loops, each sending its next request as soon as the last one
    /// answered, until the duration is over, a worker has sent <paramref name="perWorker"/>, or the
    /// level has sent <see cref="MaxRequestsPerLevel"/>. Measures the CPU time of this process and of Azurite meanwhile.
    /// </summary>
    private static async Task<Level> DriveAsync(int workers, int perWorker, TimeSpan duration, ChildProcesses azurite, Func<int, int, Task<bool>> send)
    {
        var sent = 0;
        var failures = 0;
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var azuriteCpu = azurite.ProcessorTime();
        var watch = Stopwatch.StartNew();
        var latencies = await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var mine = new List<double>();
            for (var i = 0; i < perWorker && watch.Elapsed < duration && Interlocked.Increment(ref sent) <= MaxRequestsPerLevel; i++)
            {
                var started = Stopwatch.GetTimestamp();
                if (await send(worker, i))
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }

            return mine;
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return new Level(seconds, (process.TotalProcessorTime - cpu).TotalSeconds, (azurite.ProcessorTime() - azuriteCpu)?.TotalSeconds, failures, [.. latencies.SelectMany(l => l).Order()]);
    }

    /// <summary>A level of submissions and the product's storage calls during it.</summary>
    /// <param name="Floor">The raw inserts measured alternately with the submissions, at the same concurrency.</param>
    /// <param name="PairRatios">Each submission part's rate over the floor part just before it, in the order they ran.</param>
    private sealed record Submissions(int Clients, bool IdempotencyKey, Level Api, Level Floor, double[] PairRatios, long StorageCalls, TimeSpan StorageWaited, IReadOnlyList<KeyValuePair<string, long>> ByKind)
    {
        public string Name => IdempotencyKey ? $"{Clients}" : $"{Clients}, without Idempotency-Key";

        public double Ratio => Api.Rate / Floor.Rate;

        public double CallsPerSubmission => StorageCalls / (double)Math.Max(Api.Count, 1);

        /// <summary>The storage calls' durations added up, per submission: how long a submission waits on storage.</summary>
        public double StorageMsPerSubmission => StorageWaited.TotalMilliseconds / Math.Max(Api.Count, 1);
    }

    /// <summary>A registered organisation and a token acting for it.</summary>
    private sealed record Organisation(string Kvk, string Token);

    /// <summary>
    /// One level: its wall-clock time, the CPU time this process (host and clients) and Azurite used
    /// meanwhile, and its successful requests' latencies in milliseconds, in ascending order.
    /// </summary>
    private sealed record Level(double Seconds, double CpuSeconds, double? StorageCpuSeconds, int Failures, double[] SortedLatencies)
    {
        public int Count => SortedLatencies.Length;

        public double CpuMsPerRequest => CpuSeconds * 1000 / Math.Max(Count, 1);

        /// <summary>NaN where Azurite's CPU time is not known (systems without /proc).</summary>
        public double StorageCpuMsPerRequest => (StorageCpuSeconds ?? double.NaN) * 1000 / Math.Max(Count, 1);

        public double StorageBusyCores => (StorageCpuSeconds ?? double.NaN) / Seconds;

        public double Rate => Count / Seconds;

        public double Mean => Count == 0 ? double.NaN : SortedLatencies.Average();

        /// <summary>Parts of one level taken together: their times, CPU and latencies added up.</summary>
        public static Level Combine(IReadOnlyList<Level> parts) => new(
            parts.Sum(p => p.Seconds), parts.Sum(p => p.CpuSeconds), parts.Any(p => p.StorageCpuSeconds is null) ? null : parts.Sum(p => p.StorageCpuSeconds),
            parts.Sum(p => p.Failures), [.. parts.SelectMany(p => p.SortedLatencies).Order()]);

        /// <summary>Nearest-rank percentile; 1 is the maximum.</summary>
        public double Percentile(double p) => Count == 0 ? double.NaN : SortedLatencies[Math.Max(0, (int)Math.Ceiling(p * Count) - 1)];
    }
}

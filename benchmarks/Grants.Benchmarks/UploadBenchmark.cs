using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Grants.Contracts.Applications;
using Grants.Contracts.Organisations;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Domain.Common;
using Grants.Functions.Platform.Identity;
using Grants.LocalHost;
using Grants.LocalHost.Identity;

namespace Grants.Benchmarks;

/// <summary>
/// Attachment upload (docs/design.md §6): a 100 MiB PDF through the API versus the floor of a raw Azurite
/// blob upload of the same bytes, in one run on one machine: throughput and the process's peak memory growth.
/// </summary>
public static class UploadBenchmark
{
    public static async Task<int> RunAsync()
    {
        const long fileBytes = 100L * 1024 * 1024;
        const int runs = 3;
        var invariant = CultureInfo.InvariantCulture;

        var auth = new AuthOptions { DevelopmentSigningKey = DevelopmentTokens.NewSigningKey() };
        var options = new LocalHostOptions { Url = "http://127.0.0.1:0", RunTimersOnSchedule = false };
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        options.Settings["Auth:DevelopmentSigningKey"] = auth.DevelopmentSigningKey;
        options.Settings["Attachments:MaxBytes"] = (fileBytes + 1024).ToString(invariant);
        options.Settings["GrantsStorage"] = "";
        options.Settings["AzureWebJobsStorage"] = "";
        await using var host = await LocalFunctionsHost.StartAsync(options, CancellationToken.None);

        HttpClient Client(string role, string? org = null)
        {
            var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Issue(auth, role, role, org, DateTimeOffset.UtcNow, TimeSpan.FromHours(2)));
            return client;
        }

        string Local(TimeSpan fromNow) => AmsterdamTime.ToLocal(DateTimeOffset.UtcNow + fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss", invariant);

        using var ministry = Client(Roles.Ministry);
        var scheme = await (await ministry.PostAsJsonAsync("api/schemes", new CreateSchemeRequest("Benchmark scheme", "ProjectSubsidy"))).Content.ReadFromJsonAsync<SchemeResponse>();
        var round = await (await ministry.PostAsJsonAsync($"api/schemes/{scheme!.Id}/rounds", new CreateRoundRequest("Benchmark round", new RoundConfigurationDto(
            2010, 12_000_000_00, 120_000_00, "ProjectSubsidy", null, ["process-improvement"], null, Local(TimeSpan.FromMinutes(-1)), Local(TimeSpan.FromDays(1)), null, null,
            new ConsentTextDto("Ja.", "Yes."))))).Content.ReadFromJsonAsync<RoundResponse>();
        await ministry.PostAsync($"api/rounds/{round!.Id}/open", null);

        var apiRates = new List<double>();
        var apiPeaks = new List<long>();
        var rawRates = new List<double>();
        var rawPeaks = new List<long>();
        var blobs = new BlobContainerClient(host.AzuriteConnectionString, "benchmark-floor");
        await blobs.CreateIfNotExistsAsync();
        // Run 0 warms up (JIT, connection and buffer pools) with a small file and is not reported.
        for (var run = 0; run <= runs; run++)
        {
            var size = run == 0 ? 8L * 1024 * 1024 : fileBytes;
            var kvk = (20_000_000 + run).ToString(invariant);
            using var applicant = Client(Roles.Applicant, kvk);
            await applicant.PostAsJsonAsync("api/organisations", new RegisterOrganisationRequest(kvk, $"Benchmark {run} BV", "industry", "large", false, "en", "Bench", "bench@example.org"));
            var application = await (await applicant.PostAsJsonAsync($"api/rounds/{round.Id}/applications", new StartApplicationRequest())).Content.ReadFromJsonAsync<ApplicationResponse>();

            var (apiSeconds, apiPeak) = await MeasureAsync(async () =>
            {
                var content = new StreamContent(new GeneratedPdfStream(size), 64 * 1024);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                content.Headers.ContentLength = size;
                var response = await applicant.PutAsync($"api/applications/{application!.Id}/attachments/project-plan?fileName=plan.pdf", content);
                response.EnsureSuccessStatusCode();
            });
            var (rawSeconds, rawPeak) = await MeasureAsync(async () =>
                await blobs.GetBlobClient($"floor-{run}.pdf").UploadAsync(new GeneratedPdfStream(size), overwrite: true));
            if (run == 0)
            {
                continue;
            }


            apiRates.Add(fileBytes / 1048576.0 / apiSeconds);
            apiPeaks.Add(apiPeak);
            rawRates.Add(fileBytes / 1048576.0 / rawSeconds);
            rawPeaks.Add(rawPeak);
            Console.WriteLine($"run {run}: API {apiRates[^1]:F1} MiB/s (peak +{apiPeak / 1048576.0:F1} MiB), raw Azurite {rawRates[^1]:F1} MiB/s (peak +{rawPeak / 1048576.0:F1} MiB)");
        }

        var apiMedian = Timing.Median(apiRates);
        var rawMedian = Timing.Median(rawRates);
        Console.WriteLine();
        Console.WriteLine("| measure | API upload | raw Azurite blob upload (floor) | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| throughput, median of {runs} (MiB/s) | {apiMedian:F1} | {rawMedian:F1} | {apiMedian / rawMedian:F2} |");
        Console.WriteLine($"| peak memory growth, median of {runs} (MiB) | {Timing.Median(apiPeaks.Select(p => p / 1048576.0).ToList()):F1} | {Timing.Median(rawPeaks.Select(p => p / 1048576.0).ToList()):F1} | |");
        Console.WriteLine($"| peak memory growth, worst of {runs} (MiB) | {apiPeaks.Max() / 1048576.0:F1} | {rawPeaks.Max() / 1048576.0:F1} | |");
        Console.WriteLine($"| file size (MiB) | {fileBytes / 1048576} | {fileBytes / 1048576} | |");
        return 0;    }


    // Peak growth of the managed heap plus private memory over the run, sampled every 5 ms, from a settled baseline.
private static async Task<(double Seconds, long PeakGrowth)> MeasureAsync(Func<Task> work)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    var baseline = process.PrivateMemorySize64;
    long peak = 0;
    using var stop = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        using var self = Process.GetCurrentProcess();
        while (!stop.IsCancellationRequested)
        {
            self.Refresh();
            peak = Math.Max(peak, self.PrivateMemorySize64 - baseline);
            await Task.Delay(5);
        }
    });
    var watch = Stopwatch.StartNew();
    await work();
    watch.Stop();
    await stop.CancelAsync();
    await sampler;
    return (watch.Elapsed.TotalSeconds, peak);
}
}

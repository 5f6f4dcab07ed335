using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.Lottery;
using Grants.Contracts.Operations;
using Grants.Contracts.Organisations;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.LocalHost;
using Grants.LocalHost.Clients;
using Grants.LocalHost.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Benchmarks;

/// <summary>
/// A voucher round through the API at N applications (docs/design.md §6, docs/scale.md): every applicant registers,
/// starts, uploads both PDFs and submits; then the ministry closes, decides eligibility, freezes, reveals and draws;
/// the balance check holds the draw, the ministry sets it aside, commits and reveals again, draws again, confirms the
/// publication, and raises the budget by a tenth more vouchers. Then a project round of N applications (or as many as "--assessed" gives), assessed
/// before its lottery, has its committee assigned.
/// Per N it reports the answer time of each round-wide request, the time until the background work it started is
/// done, that work's rate as a ratio to raw Azurite writes of the same rows at the same concurrency in the same run,
/// the peak memory of the host (this process) and of Azurite, and the cost of a small round's round-scoped reads
/// once the account holds the big round, relative to before.
/// </summary>
public static class RoundBenchmark
{
    private const int Clients = 16;
    private const int SmallRound = 100;
    private const int ReadSamples = 30;
    private const long VoucherValue = 5_000_00;
    private const long ProjectAmount = 95_000_00;
    private const int CommitteeMembers = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        // "--assessed M" gives the project round M applications instead of N: at national size, 50,000 more applications
        // with their files would double a run that already takes two hours on Azurite.
        var option = Array.IndexOf(args, "--assessed");
        if (option >= 0 && option + 1 >= args.Length)
        {
            Console.Error.WriteLine("--assessed needs the project round's number of applications, e.g. round 50000 --assessed 8000.");
            return 2;
        }

        int? assessed = option >= 0 ? int.Parse(args[option + 1], CultureInfo.InvariantCulture) : null;
        // "--filled-only": the big round's applications fill the account, and the reads beside them and the committee's assignment
        // are timed at once, without the big round's round-wide work, which takes hours at national size on Azurite.
        var filledOnly = args.Contains("--filled-only");
        // "--no-relays": the mail relay and the events' dispatcher do not run, as before 2026-12-07's evening, so that the
        // pointers to what was sent pile up as they did in the runs of that day and before.
        var relays = !args.Contains("--no-relays");
        var numbers = (option >= 0 ? args.Where((_, i) => i != option && i != option + 1).ToArray() : args).Where(a => a is not ("--filled-only" or "--no-relays")).ToArray();
        var sizes = numbers.Length > 0 ? numbers.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1_000, 8_000];
        var rows = new List<(string Main, string Held)>();
        foreach (var n in sizes)
        {
            rows.Add(await MeasureAsync(n, assessed ?? n, filledOnly, relays));
        }

        Console.WriteLine();
        Console.WriteLine("| N | close | freeze | draw | top-up | notices done (s) | freeze done (s) | publication done (s) | top-up done (s) | notices / floor (same calls) | freeze / floor (same calls) | publication / floor (same calls) | top-up / floor (same calls) | host peak | Azurite peak | small round's reads, big round beside / alone | raw range query, beside / alone |");
        Console.WriteLine($"|{string.Concat(Enumerable.Repeat("---|", 17))}");
        rows.ForEach(r => Console.WriteLine(r.Main));
        Console.WriteLine();
        Console.WriteLine("| N | draw held, computed (s) | set aside | draw again | computed again (s) | publish | published (s) | assessed | assign | assignment done (s) | assessments / floor |");
        Console.WriteLine($"|{string.Concat(Enumerable.Repeat("---|", 11))}");
        rows.ForEach(r => Console.WriteLine(r.Held));
        return 0;
    }

    private static async Task<(string Main, string Held)> MeasureAsync(int n, int assessed, bool filledOnly, bool relays)
    {
        var invariant = CultureInfo.InvariantCulture;
        var mail = Directory.CreateTempSubdirectory("grants-round-mail-");
        var auth = BenchmarkHost.NewAuth();
        var options = BenchmarkHost.Options(auth, mail.FullName);
        options.Settings["Logging:LogLevel:Grants.LocalHost.Requests"] = "Warning";
        // Every chance imbalance holds a draw, so that each N times the set-aside, the draw again and the confirmed publication.
        options.Settings["Lottery:BalanceThreshold"] = "0";
        var storageCalls = new StorageCallCounter();
        options.ConfigureServices = services => services.AddSingleton(new StorageClientOptions().AddPolicy(storageCalls, HttpPipelinePosition.PerRetry));
        await using var host = await LocalFunctionsHost.StartAsync(options, CancellationToken.None);
        var azurite = ChildProcesses.OfCurrentProcess();
        // The relays run on their schedules, as in a deployment: they send the mail the work commits, hand over its events,
        // and remove the pointers to them (docs/decisions/0018). Without them the pointers pile up in eight partitions, and
        // Azurite walks a partition on every write into it (docs/benchmarks.md, "The emulator as it fills").
        using var stopRelays = new CancellationTokenSource();
        var relaying = relays ? RelaysAsync(host, storageCalls, stopRelays.Token) : Task.CompletedTask;
        string Token(string role, string subject, string? organisation = null) => BenchmarkHost.Token(auth, role, subject, organisation, TimeSpan.FromHours(12));

        // The ministry's round-wide requests are timed as they answer; what they start is followed separately.
        using var ministry = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        ministry.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(Roles.Ministry, "beleidsmedewerker"));
        using var applicants = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var kvk = 40_000_000;

        // A small round first; its round-scoped reads are timed in an account that holds only it.
        var small = await OpenVoucherRoundAsync(ministry, SmallRound, "small");
        await ApplyAsync(applicants, small, SmallRound, () => Interlocked.Increment(ref kvk).ToString(invariant), Token);
        var readsAlone = await TimeReadsAsync(ministry, small);
        var scanAlone = await TimeRangeQueryAsync(host.AzuriteConnectionString!, small);

        var round = await OpenVoucherRoundAsync(ministry, n, "big");
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        (await ministry.PostAsJsonAsync($"api/rounds/{round}/lottery/commitments", new CommitSeedRequest(LotteryDraw.Commitment(seed)))).EnsureSuccessStatusCode();
        var applying = Stopwatch.StartNew();
        storageCalls.Reset();
        var ids = await ApplyAsync(applicants, round, n, () => Interlocked.Increment(ref kvk).ToString(invariant), Token);
        Console.WriteLine($"N = {n:N0}: {n:N0} applied (register, start, two uploads, submit) in {applying.Elapsed.TotalSeconds:F0} s (untimed)");
        // The storage calls of each step from its request until its work is done, per application it concerns (the idle queue's polls included).
        void Calls(string step, int applications)
        {
            Console.WriteLine($"N = {n:N0}: storage calls per application, {step}: {string.Join(", ", storageCalls.MeanByKind.Select(k => $"{k.Kind} {(double)k.Calls / applications:F2} ({k.Mean.TotalMilliseconds:F1} ms)"))}");
            storageCalls.Reset();
        }

        Calls("applying", n);
        // The work's concurrency: the messages the host takes at once (or fewer, where the round makes fewer batches), each 16 applications at a time.
        var concurrency = Math.Min(Grants.Functions.Platform.Work.BackgroundOperations.MessagesAtOnce, Grants.Functions.Platform.Work.BackgroundOperations.Batches(ids).Count) * 16;
        string HostPeak() => $"{Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MiB";
        string AzuritePeak() => azurite.PeakResidentBytes() is { } peak ? $"{peak / (1024 * 1024):N0} MiB" : "n/a";

        // The small round's reads beside the big round, as a ratio to the same reads before it existed.
        async Task<(string Reads, string RangeQuery)> ReadsBesideAsync()
        {
            var readsBeside = await TimeReadsAsync(ministry, small);
            var scanBeside = await TimeRangeQueryAsync(host.AzuriteConnectionString!, small);
            // Printed as soon as measured, as the answers are: a long run stopped later still keeps them.
            var measured = ($"{readsBeside / readsAlone:F2} ({readsAlone * 1000:F0} → {readsBeside * 1000:F0} ms)", $"{scanBeside / scanAlone:F2} ({scanAlone * 1000:F1} → {scanBeside * 1000:F1} ms)");
            Console.WriteLine($"N = {n:N0}: a small round's reads beside the round / alone {measured.Item1}, the raw range query under them {measured.Item2}; peaks so far: host {HostPeak()}, Azurite {AzuritePeak()}");
            return measured;
        }

        // The committee's assignment of a project round of N applications (or --assessed), assessed before its lottery (so every eligible
        // one is assigned), by a committee of 20 members; its floor is measured again after it, beside its rows.
        async Task<(Timed Assign, Floor Floor)> AssignmentAsync()
        {
            var project = await OpenAssessedProjectRoundAsync(ministry, assessed);
            var projectIds = await ApplyAsync(applicants, project, assessed, () => Interlocked.Increment(ref kvk).ToString(invariant), Token, ProjectAmount);
            await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{project}/close", null);
            await Parallel.ForEachAsync(projectIds, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (id, ct) =>
                (await ministry.PostAsJsonAsync($"api/applications/{id}/eligibility", new DecideEligibilityRequest("eligible"), ct)).EnsureSuccessStatusCode());
            (await ministry.PutAsJsonAsync($"api/rounds/{project}/committee", new SetCommitteeRequest("chair",
                [.. Enumerable.Range(1, CommitteeMembers).Select(i => $"member-{i:D2}")], [new CriterionDto("quality", "Quality of the plan", 1, 5, 1)], 3.0))).EnsureSuccessStatusCode();
            storageCalls.Reset();
            var assign = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{project}/assessments/assign", null);
            Calls("assignment", assessed);
            var assigned = (await ministry.GetFromJsonAsync<OperationResponse>($"api/operations/{assign.Operation}"))!;
            if (assigned.Total != assessed || assigned.Done != assessed || assigned.Skipped.Count > 0)
            {
                throw new InvalidOperationException($"Round {project}: {assigned.Done} of {assigned.Total} assessments assigned for {assessed} applications, {assigned.Skipped.Count} skipped.");
            }

            var assignmentFloor = await FloorAsync(host.AzuriteConnectionString!, project, projectIds, concurrency);
            Console.WriteLine($"N = {n:N0}: assignment's floor {assignmentFloor.WritesPerSecond:F0} transactions/s");
            return (assign, assignmentFloor);
        }

        if (filledOnly)
        {
            var (filledReads, filledRangeQuery) = await ReadsBesideAsync();
            var (filledAssign, filledFloor) = await AssignmentAsync();
            var none = Enumerable.Repeat("—", 12);
            var filledRow = $"| {string.Join(" | ", [n.ToString("N0", invariant), .. none, HostPeak(), AzuritePeak(), filledReads, filledRangeQuery])} |";
            var filledHeld = $"| {string.Join(" | ", [n.ToString("N0", invariant), .. Enumerable.Repeat("—", 6), assessed.ToString("N0", invariant), Answer(filledAssign),
                filledAssign.Done.TotalSeconds.ToString("F1", invariant), (assessed / filledFloor.WritesPerSecond / filledAssign.Done.TotalSeconds).ToString("F2", invariant)])} |";
            Console.WriteLine(filledRow);
            Console.WriteLine(filledHeld);
            await stopRelays.CancelAsync();
            await relaying;
            mail.Delete(recursive: true);
            return (filledRow, filledHeld);
        }

        var close = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{round}/close", null);
        Calls("closing", n);
        var deciding = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (id, ct) =>
            (await ministry.PostAsJsonAsync($"api/applications/{id}/eligibility", new DecideEligibilityRequest("eligible"), ct)).EnsureSuccessStatusCode());
        Console.WriteLine($"N = {n:N0}: eligibility decided in {deciding.Elapsed.TotalSeconds:F0} s (untimed)");
        Calls("eligibility", n);
        var freeze = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{round}/pool/freeze", null);
        Calls("freeze", n);
        (await ministry.PostAsJsonAsync($"api/rounds/{round}/lottery/reveals", new RevealSeedRequest(Convert.ToHexStringLower(seed)))).EnsureSuccessStatusCode();
        // The draw's operation computes the protocol; the balance check holds it (any imbalance does here), so it publishes nothing.
        var draw = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{round}/lottery/draw", null);
        if (!await HeldAsync(ministry, round))
        {
            throw new InvalidOperationException($"Round {round}: the balance check did not hold the draw, so a re-draw cannot be timed.");
        }

        // Set aside with its reason, then new seeds committed and revealed (untimed), and drawn again.
        var setAside = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{round}/lottery/redraw", JsonContent.Create(new RedrawRequest("Benchmark: the draw is set aside to time a re-draw.")));
        seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        (await ministry.PostAsJsonAsync($"api/rounds/{round}/lottery/commitments", new CommitSeedRequest(LotteryDraw.Commitment(seed)))).EnsureSuccessStatusCode();
        (await ministry.PostAsJsonAsync($"api/rounds/{round}/lottery/reveals", new RevealSeedRequest(Convert.ToHexStringLower(seed)))).EnsureSuccessStatusCode();
        var drawAgain = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{round}/lottery/draw", null);
        // Held again: its confirmation starts the publication. The first table's "publication done" is the computation
        // and the publication together, as in the rows whose draw was not held.
        if (!await HeldAsync(ministry, round))
        {
            throw new InvalidOperationException($"Round {round}: the balance check did not hold the second draw, so its confirmed publication cannot be timed.");
        }

        var publish = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{round}/lottery/publish", JsonContent.Create(new ConfirmPublicationRequest("Benchmark: imbalance reviewed, the draw stands.")));
        var published = drawAgain with { Done = drawAgain.Done + publish.Done };
        Calls("reveal, draw, set-aside, commit, reveal, draw again and publication", n);

        // A tenth more vouchers after the draw: the cut-off moves down the reserve list by N / 10 applications.
        var raised = Math.Max(1, n / 10);
        var topUp = await RoundWideAsync(ministry, storageCalls, host.AzuriteConnectionString!, HttpMethod.Post, $"api/rounds/{round}/budget/top-ups",
            JsonContent.Create(new TopUpRequest(raised * VoucherValue, "Benchmark: a tenth more vouchers from the programme's reserve")),
            () => PrintProtocolWriteAloneAsync(host.AzuriteConnectionString!, round));
        Calls("top-up (per application selected)", raised);

        var (reads, rangeQuery) = await ReadsBesideAsync();

        // The floor: the same rows written raw, at the concurrency the work ran with (16 messages, each 16 applications at a time).
        var floor = await FloorAsync(host.AzuriteConnectionString!, round, ids, concurrency);
        Console.WriteLine($"N = {n:N0}: floor {floor.WritesPerSecond:F0} transactions/s, {floor.ReadWritesPerSecond:F0} read-then-transactions/s, at {concurrency} in flight");

        var (assign, assignmentFloor) = await AssignmentAsync();
        // Against the transactions alone, and against the same calls as the work makes: a point read before each
        // transaction that changes an application, none before a creation (a survey, an assessment, a mail's pointer).
        string Ratio(TimeSpan done, int changes, int creations, int? applications = null) =>
            $"{(applications ?? n) * (changes + creations) / floor.WritesPerSecond / done.TotalSeconds:F2} ({(applications ?? n) * ((changes / floor.ReadWritesPerSecond) + (creations / floor.WritesPerSecond)) / done.TotalSeconds:F2})";
        var row = string.Join(" | ",
            n.ToString("N0", invariant),
            Answer(close), Answer(freeze), Answer(draw), Answer(topUp),
            close.Done.TotalSeconds.ToString("F1", invariant), freeze.Done.TotalSeconds.ToString("F1", invariant), published.Done.TotalSeconds.ToString("F1", invariant),
            topUp.Done.TotalSeconds.ToString("F1", invariant),
            // Per application, as the storage calls printed above count them: a notice changes it once, after the pointer to
            // its mail (docs/decisions/0018), a transaction of its own; the freeze reads it with the round's others, then
            // it enters the pool, once, without mail; the publication changes it once (the outcome, its mail pointed at
            // first) and creates two surveys, each a members row and a transaction. A top-up changes each application it
            // selects once, its mail pointed at first.
            Ratio(close.Done, 1, 1), Ratio(freeze.Done, 1, 0), Ratio(published.Done, 1, 5), Ratio(topUp.Done, 1, 1, raised),
            HostPeak(), AzuritePeak(),
            reads, rangeQuery);
        // Each assessment is one creation: a transaction, without a read before it.
        var held = string.Join(" | ",
            n.ToString("N0", invariant),
            draw.Done.TotalSeconds.ToString("F1", invariant), Answer(setAside), Answer(drawAgain), drawAgain.Done.TotalSeconds.ToString("F1", invariant),
            Answer(publish), publish.Done.TotalSeconds.ToString("F1", invariant), assessed.ToString("N0", invariant), Answer(assign), assign.Done.TotalSeconds.ToString("F1", invariant),
            (assessed / assignmentFloor.WritesPerSecond / assign.Done.TotalSeconds).ToString("F2", invariant));
        Console.WriteLine($"| {row} |");
        Console.WriteLine($"| {held} |");
        await stopRelays.CancelAsync();
        await relaying;
        mail.Delete(recursive: true);
        return ($"| {row} |", $"| {held} |");
    }

    /// <summary>
    /// The mail relay and the events' dispatcher, each fired on its own schedule (host.json's timers, in UTC) until stopped, one
    /// run at a time as the Functions host runs a timer. Their storage calls are not counted: the steps' counts are the work's.
    /// A run that fails is printed, and the next runs on schedule, as the host does.
    /// </summary>
    private static async Task RelaysAsync(LocalFunctionsHost host, StorageCallCounter storageCalls, CancellationToken stop)
    {
        await Task.WhenAll(new[] { nameof(Grants.Functions.Platform.Mail.RelayOutbox), nameof(Grants.Functions.Platform.Events.DispatchEvents) }.Select(async name =>
        {
            var schedule = host.Timers.Schedule(host.Catalog.Functions.Single(f => f.Name == name));
            using var uncounted = storageCalls.Uncounted();
            while (!stop.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                try
                {
                    await Task.Delay(schedule.GetNextOccurrence(now, TimeZoneInfo.Utc)!.Value - now, stop);
                    await host.Timers.FireAsync(name, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Console.WriteLine($"  {name} failed: {e.GetType().Name}: {e.Message}");
                }
            }
        }));
    }

    /// <summary>
    /// The storage calls that took 100 ms or more while a request was answered, its own and the work's beside it (counted) and
    /// the relays' (not counted): where an answer's time went when it is long.
    /// </summary>
    private static void PrintSlowCalls(IReadOnlyList<StorageCallCounter.SlowCall> slow, TimeSpan from)
    {
        if (slow.Count == 0)
        {
            return;
        }

        var relays = slow.Where(c => !c.Counted).ToList();
        Console.WriteLine($"    storage calls of 100 ms or more during the answer: {slow.Count - relays.Count} of the product's requests and work, longest {Longest(slow.Where(c => c.Counted))}; "
            + $"{relays.Count} of the relays, longest {Longest(relays)}");
        foreach (var call in slow.Take(8))
        {
            Console.WriteLine($"      {(call.Counted ? "" : "relay: ")}{call.Kind} from +{(call.StartedAt - from).TotalMilliseconds:F0} ms for {call.Took.TotalMilliseconds:F0} ms");
        }

        static string Longest(IEnumerable<StorageCallCounter.SlowCall> calls) => calls.Select(c => $"{c.Took.TotalMilliseconds:F0} ms").FirstOrDefault() ?? "—";
    }

    /// <summary>
    /// What one storage call takes at this moment, made by itself: a point read and a one-row transaction, each three times
    /// in turn, just after a round-wide answer (its work beside them has only begun). An answer that makes a few calls in
    /// turn cannot be faster than a few of these: on Azurite's one thread they wait behind whatever else it is doing.
    /// </summary>
    private static async Task PrintCallsAloneAsync(string connection)
    {
        var table = new TableClient(connection, "benchmarkalone");
        await table.CreateIfNotExistsAsync();
        var partition = $"alone-{Guid.NewGuid():N}";
        var (reads, transactions) = (new List<double>(), new List<double>());
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, "row") { ["Sample"] = i })]);
            transactions.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await table.GetEntityAsync<TableEntity>(partition, "row");
            reads.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"    one call by itself just after: a point read {Timing.Median(reads):F0} ms, a one-row transaction {Timing.Median(transactions):F0} ms (median of 3)");
    }

    /// <summary>
    /// The version the top-up wrote (the round's newest blob in the protocols container: a cut-off document since
    /// docs/decisions/0023, the whole moved protocol before it) written once more, by itself, just after the top-up
    /// answered: the one write its answer waits on, without the product around it.
    /// </summary>
    private static async Task PrintProtocolWriteAloneAsync(string connection, string roundId)
    {
        var protocols = new BlobContainerClient(connection, ContainerNames.Protocols);
        var newest = await protocols.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{roundId}/", CancellationToken.None).OrderByDescending(b => b.Properties.LastModified).FirstAsync();
        var bytes = (await protocols.GetBlobClient(newest.Name).DownloadContentAsync()).Value.Content;
        var copies = new BlobContainerClient(connection, "benchmarkalone");
        await copies.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        await copies.GetBlobClient($"{Guid.NewGuid():N}.json").UploadAsync(bytes, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All } });
        Console.WriteLine($"    the version the top-up wrote ({bytes.ToMemory().Length / 1e6:F3} MB) written once more by itself just after: {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    private static string Answer(Timed timed) => $"{timed.Answer.TotalMilliseconds:F0} ms";

    private sealed record Timed(TimeSpan Answer, string? Operation, TimeSpan Done);

    /// <summary>Sends a round-wide request, times its answer, then follows the operation it started until it succeeded.</summary>
    /// <param name="afterAnswer">What else to time just after the answer, beside the calls by themselves.</param>
    private static async Task<Timed> RoundWideAsync(HttpClient ministry, StorageCallCounter storageCalls, string connection, HttpMethod method, string path, HttpContent? content, Func<Task>? afterAnswer = null)
    {
        storageCalls.ClearSlow();
        var from = StorageCallCounter.Now;
        var clock = Stopwatch.StartNew();
        using var response = await ministry.SendAsync(new HttpRequestMessage(method, path) { Content = content });
        var answer = clock.Elapsed;
        PrintSlowCalls(storageCalls.SlowDuring(from, StorageCallCounter.Now), from);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            Console.WriteLine($"  {method} {path} answered in {answer.TotalMilliseconds:F0} ms");
            return new Timed(answer, null, TimeSpan.Zero);
        }

        var operation = response.Headers.Location!.OriginalString["/api/operations/".Length..];
        Console.WriteLine($"  {method} {path} answered in {answer.TotalMilliseconds:F0} ms");
        await PrintCallsAloneAsync(connection);
        if (afterAnswer is not null)
        {
            await afterAnswer();
        }
        await OperationWaiter.WaitAsync(ministry, operation, TimeSpan.FromHours(2), CancellationToken.None);
        var done = clock.Elapsed;
        // Printed at once: a run that stops later (hours later, at national size) keeps what it measured. The operation's own
        // times split it: from its start to the listing (the work's fixed first step, its first message's wait included), then the batches.
        var status = (await ministry.GetFromJsonAsync<OperationResponse>($"api/operations/{operation}"))!;
        var split = status is { ListedAt: { } listed, CompletedAt: { } completed }
            ? $" (listed {(listed - status.CreatedAt).TotalSeconds:F1} s after it started, its batches done {(completed - listed).TotalSeconds:F1} s after that)"
            : "";
        Console.WriteLine($"  {operation} done {done.TotalSeconds:F1} s after the request{split}");
        return new Timed(answer, operation, done);
    }

    private static readonly ConsentTextDto Consent = new("Wij werken mee aan het vervolgonderzoek, ook als wij niet worden ingeloot.", "We take part in the follow-up research, also if we are not drawn.");

    /// <summary>An Amsterdam local time <paramref name="fromNow"/> from now, as a round's opening and closing are given.</summary>
    private static string Local(TimeSpan fromNow) => AmsterdamTime.ToLocal(DateTimeOffset.UtcNow + fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static async Task<bool> HeldAsync(HttpClient ministry, string round) =>
        (await ministry.GetFromJsonAsync<LotteryStatusResponse>($"api/rounds/{round}/lottery"))!.Draw!.HeldForBalance;

    /// <summary>A project round whose committee assesses every eligible application before the lottery; its ceiling funds a quarter.</summary>
    private static async Task<string> OpenAssessedProjectRoundAsync(HttpClient ministry, int applications)
    {
        var scheme = await ReadAsync<SchemeResponse>(await ministry.PostAsJsonAsync("api/schemes", new CreateSchemeRequest($"Round benchmark project {Guid.NewGuid():N}"[..32], "ProjectSubsidy")));
        var configuration = new RoundConfigurationDto(2010, Math.Max(1, applications / 4) * ProjectAmount, ProjectAmount, "ProjectSubsidy", null, ["smarter-working", "flexible-work-organisation"],
            null, Local(TimeSpan.FromMinutes(-1)), Local(TimeSpan.FromDays(1)), new AllocationDesignDto(Order: "assess-then-lottery"), [12, 24],
            Consent,
            MinimumControlGroup: 0);
        var round = await ReadAsync<RoundResponse>(await ministry.PostAsJsonAsync($"api/schemes/{scheme.Id}/rounds", new CreateRoundRequest("Projects assessed", configuration)));
        (await ministry.PostAsync($"api/rounds/{round.Id}/open", null)).EnsureSuccessStatusCode();
        return round.Id;
    }

    private static async Task<string> OpenVoucherRoundAsync(HttpClient ministry, int vouchers, string name)
    {
        var scheme = await ReadAsync<SchemeResponse>(await ministry.PostAsJsonAsync("api/schemes", new CreateSchemeRequest($"Round benchmark {name} {Guid.NewGuid():N}"[..32], "Voucher")));
        // A quarter of the applicants get a voucher: the draw is needed, and three quarters form the control group.
        var configuration = new RoundConfigurationDto(2010, Math.Max(1, vouchers / 4) * VoucherValue, VoucherValue, "Voucher", VoucherValue, ["smarter-working", "flexible-work-organisation"],
            null, Local(TimeSpan.FromMinutes(-1)), Local(TimeSpan.FromDays(1)), null, [12, 24],
            Consent,
            MinimumControlGroup: 0, Vouchers: new VoucherRulesDto(365, ConsultanciesAllowed: true, MinimumConsultancyReferences: 2));
        var round = await ReadAsync<RoundResponse>(await ministry.PostAsJsonAsync($"api/schemes/{scheme.Id}/rounds", new CreateRoundRequest($"Vouchers {name}", configuration)));
        (await ministry.PostAsync($"api/rounds/{round.Id}/open", null)).EnsureSuccessStatusCode();
        return round.Id;
    }

    /// <summary>Each of <paramref name="count"/> organisations (of the sectors in turn, so that a draw can be out of balance) registers, starts, uploads both PDFs and submits.</summary>
    private static async Task<List<string>> ApplyAsync(HttpClient client, string roundId, int count, Func<string> nextKvk, Func<string, string, string?, string> token, long amount = VoucherValue)
    {
        var plan = Grants.Tests.TestPdf.Create(4_000);
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (_, ct) =>
        {
            var kvk = nextKvk();
            var bearer = new AuthenticationHeaderValue("Bearer", token(Roles.Applicant, $"user-{kvk}", kvk));
            async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content)
            {
                using var request = new HttpRequestMessage(method, path) { Content = content };
                request.Headers.Authorization = bearer;
                var response = await client.SendAsync(request, ct);
                return response.IsSuccessStatusCode ? response
                    : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }

            await SendAsync(HttpMethod.Post, "api/organisations", JsonContent.Create(new RegisterOrganisationRequest(kvk, $"Organisatie {kvk} BV", Sectors.All[int.Parse(kvk, CultureInfo.InvariantCulture) % Sectors.All.Count], "small", false, "nl", "P. Jansen", $"contact-{kvk}@example.org")));
            var started = await (await SendAsync(HttpMethod.Post, $"api/rounds/{roundId}/applications", JsonContent.Create(new StartApplicationRequest(BenchmarkHost.Content(amount))))).Content.ReadFromJsonAsync<ApplicationResponse>(ct);
            foreach (var kind in new[] { "project-plan", "budget" })
            {
                var pdf = new ByteArrayContent(plan);
                pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                await SendAsync(HttpMethod.Put, $"api/applications/{started!.Id}/attachments/{kind}?fileName={kind}.pdf", pdf);
            }

            await SendAsync(HttpMethod.Post, $"api/applications/{started!.Id}/submit", null);
            ids.Add(started.Id);
            if (ids.Count % 5_000 == 0)
            {
                Console.WriteLine($"  {ids.Count:N0} of {count:N0} applied after {clock.Elapsed.TotalSeconds:F0} s");
            }
        });
        return [.. ids];
    }

    /// <summary>The median seconds of a small round's round-scoped reads: a page of its applications, their counts, its monitoring.</summary>
    private static async Task<double> TimeReadsAsync(HttpClient ministry, string roundId)
    {
        var samples = new List<double>();
        for (var i = 0; i < ReadSamples; i++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var path in new[] { $"api/rounds/{roundId}/applications?pageSize=100", $"api/rounds/{roundId}/applications/counts", $"api/rounds/{roundId}/monitoring" })
            {
                (await ministry.GetAsync(path)).EnsureSuccessStatusCode();
            }

            samples.Add(clock.Elapsed.TotalSeconds);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>
    /// The floor of a round-scoped read: the median seconds of one raw query for the small round's application state
    /// rows by their partition-key range, as the product reads them (<c>AggregateStore.InKeyRangeAsync</c>).
    /// </summary>
    private static async Task<double> TimeRangeQueryAsync(string connection, string roundId)
    {
        var aggregates = new TableClient(connection, TableNames.Aggregates);
        var prefix = Grants.Domain.Applications.Application.IdPrefixFor(roundId);
        var samples = new List<double>();
        for (var i = 0; i < ReadSamples; i++)
        {
            var clock = Stopwatch.StartNew();
            await aggregates.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"} and RowKey eq {AggregateStore.StateRowKey}")).CountAsync();
            samples.Add(clock.Elapsed.TotalSeconds);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <param name="WritesPerSecond">The transactions alone.</param>
    /// <param name="ReadWritesPerSecond">Each transaction after a point read of the row it replaces, as the work reads an application before it changes it.</param>
    private sealed record Floor(double WritesPerSecond, double ReadWritesPerSecond);

    /// <summary>
    /// Raw Azurite: the entity group transaction the background work writes per application — its state row as stored,
    /// an audit row and a mail row, into a partition of its own in the same table — sent at <paramref name="concurrency"/>, N of them.
    /// </summary>
    private static async Task<Floor> FloorAsync(string connection, string roundId, IReadOnlyList<string> ids, int concurrency)
    {
        var aggregates = new TableClient(connection, TableNames.Aggregates);
        var sample = ids[0];
        var state = Properties((await aggregates.GetEntityAsync<TableEntity>(sample, AggregateStore.StateRowKey)).Value);
        var audit = Properties((await aggregates.GetEntityAsync<TableEntity>(sample, $"{AggregateStore.AuditRowPrefix}{1:D10}")).Value);
        var outbox = await aggregates.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {sample} and RowKey gt {AggregateStore.OutboxRowPrefix} and RowKey lt {AggregateStore.OutboxRowPrefix + "~"}"))
            .FirstAsync();
        var mail = Properties(outbox);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            // Into the table the work wrote, beside its rows: Azurite's writes cost more the more rows a table holds.
            var partition = $"floor-{roundId}-{i:D7}";
            await SubmitOnceAsync(aggregates, partition, $"{AggregateStore.AuditRowPrefix}{2:D10}", [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(state) { PartitionKey = partition, RowKey = AggregateStore.StateRowKey }),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(audit) { PartitionKey = partition, RowKey = $"{AggregateStore.AuditRowPrefix}{2:D10}" }),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(mail) { PartitionKey = partition, RowKey = $"{AggregateStore.OutboxRowPrefix}{2:D10}.0" }),
            ], ct);
        });
        var writes = ids.Count / clock.Elapsed.TotalSeconds;
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var partition = $"floor-{roundId}-{i:D7}";
            var read = (await aggregates.GetEntityAsync<TableEntity>(partition, AggregateStore.StateRowKey, cancellationToken: ct)).Value;
            await SubmitOnceAsync(aggregates, partition, $"{AggregateStore.AuditRowPrefix}{3:D10}", [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity(state) { PartitionKey = partition, RowKey = AggregateStore.StateRowKey }, read.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(audit) { PartitionKey = partition, RowKey = $"{AggregateStore.AuditRowPrefix}{3:D10}" }),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(mail) { PartitionKey = partition, RowKey = $"{AggregateStore.OutboxRowPrefix}{3:D10}.0" }),
            ], ct);
        });
        return new Floor(writes, ids.Count / clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One transaction, as the product's writes are: when the SDK's retry of it meets its own first attempt (the
    /// answer lost, 409 or 412), the row it added is there and the write counts as done; otherwise the refusal stands.
    /// </summary>
    private static async Task SubmitOnceAsync(TableClient table, string partition, string addedRowKey, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            if (!(await table.GetEntityIfExistsAsync<TableEntity>(partition, addedRowKey, cancellationToken: cancellationToken)).HasValue)
            {
                throw;
            }

            Console.WriteLine($"  floor: a transaction on {partition} met its own first attempt ({e.Status}); counted once");
        }
    }

    private static Dictionary<string, object> Properties(TableEntity stored) =>
        stored.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).ToDictionary(p => p.Key, p => p.Value);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}

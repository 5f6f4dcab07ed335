using System.Net.Http.Headers;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.LocalHost;
using Grants.LocalHost.Clients;
using Grants.LocalHost.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

[assembly: AssemblyFixture(typeof(Grants.Functions.Tests.Infrastructure.GrantsApi))]

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// The product as a user meets it: the local host serving the function app over real HTTP on a
/// free port, with real Azurite storage (started by the host, as `grants up` does) and a real SMTP server.
/// </summary>
public abstract class GrantsHost : IAsyncLifetime
{
    /// <summary>Small limits so the tests exercise multi-block uploads and the size limit quickly.</summary>
    public const long MaxAttachmentBytes = 2 * 1024 * 1024;
    public const int AttachmentBlockBytes = 256 * 1024;

    private LocalFunctionsHost? _host;

    public AuthOptions Auth { get; } = new() { DevelopmentSigningKey = DevelopmentTokens.NewSigningKey() };

    public SmtpSink Smtp { get; private set; } = null!;

    /// <summary>The ministry's Entra ID tenant, as the host trusts it in Azure (staff roles, subjects by object id).</summary>
    public OidcIssuerDouble StaffIssuer { get; private set; } = null!;

    /// <summary>The organisations' eHerkenning broker (applicant and supplier, the organisation in <c>org</c>).</summary>
    public OidcIssuerDouble OrganisationIssuer { get; private set; } = null!;

    /// <summary>The audience Entra ID puts in staff tokens: the app registration's client id.</summary>
    public const string StaffAudience = "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

    public const string OrganisationAudience = "grants-portal";

    /// <summary>The key of the evaluation export's pseudonyms, as an operator would keep it in Key Vault.</summary>
    public byte[] PseudonymKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    public LocalFunctionsHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public string StorageConnectionString => Host.AzuriteConnectionString!;

    public abstract TimeProvider Clock { get; }

    /// <summary>The evidence account's connection string where this host has one of its own; null where evidence lives in the main account.</summary>
    public virtual string? EvidenceConnectionString => null;

    public async ValueTask InitializeAsync()
    {
        await StartDependenciesAsync();
        Smtp = await SmtpSink.StartAsync();
        StaffIssuer = await OidcIssuerDouble.StartAsync();
        OrganisationIssuer = await OidcIssuerDouble.StartAsync();
        var options = new LocalHostOptions { Url = "http://127.0.0.1:0", RunTimersOnSchedule = false };
        options.Settings["Logging:LogLevel:Default"] = "Error";
        // What the queue runner does besides a function failing for good (a poll that failed, a delivery that will be
        // retried, a message set aside) is a warning; a test that waited in vain shows it in the run's output.
        options.Settings["Logging:LogLevel:Grants.LocalHost.Triggers"] = "Warning";
        options.Settings["Auth:DevelopmentSigningKey"] = Auth.DevelopmentSigningKey;
        options.Settings["Auth:Staff:Authority"] = StaffIssuer.Authority;
        options.Settings["Auth:Staff:Audience"] = StaffAudience;
        options.Settings["Auth:Organisations:Authority"] = OrganisationIssuer.Authority;
        options.Settings["Auth:Organisations:Audience"] = OrganisationAudience;
        options.Settings["Evaluation:PseudonymKey"] = Convert.ToBase64String(PseudonymKey);
        options.Settings["Mail:Smtp:Host"] = "127.0.0.1";
        options.Settings["Mail:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Settings["Mail:Smtp:Security"] = "None";
        options.Settings["Attachments:MaxBytes"] = MaxAttachmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options.Settings["Attachments:BlockBytes"] = AttachmentBlockBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Background work is picked up at once and a failed delivery retried after a second (queues count whole seconds).
        options.Settings["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.200";
        options.Settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:01";
        // Storage is deliberately left unset: the host starts its own Azurite.
        options.Settings[StorageAccount.ConnectionName] = "";
        options.Settings[StorageAccount.HostConnectionName] = "";
        var storage = StorageOptions();
        options.ConfigureServices = services =>
        {
            services.AddSingleton(Clock);
            services.AddSingleton(storage);
            services.AddSingleton<Grants.Functions.Platform.Work.IBatchWork>(FinishingThatFails);
            services.AddSingleton<Grants.Functions.Platform.Work.IBatchWork, WrittenBeside>();
        };
        Configure(options);
        _host = await LocalFunctionsHost.StartAsync(options, CancellationToken.None);
    }

    /// <summary>The storage clients' options: every host records the product's whole-account table queries (<see cref="TableScans"/>).</summary>
    protected virtual StorageClientOptions StorageOptions() => new StorageClientOptions().AddPolicy(TableScans.Recorder, Azure.Core.HttpPipelinePosition.PerCall);

    /// <summary>Settings of a particular host, on top of the common ones.</summary>
    protected virtual void Configure(LocalHostOptions options)
    {
    }

    /// <summary>Starts what a particular host needs before it starts (a storage account of its own), stopped by <see cref="StopDependenciesAsync"/>.</summary>
    protected virtual ValueTask StartDependenciesAsync() => ValueTask.CompletedTask;

    protected virtual ValueTask StopDependenciesAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Smtp.DisposeAsync();
        await StaffIssuer.DisposeAsync();
        await OrganisationIssuer.DisposeAsync();
        await StopDependenciesAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A client without a token; like every client here, it checks each response against the published document
    /// (<see cref="ApiContract"/>) and, unless told not to, waits for the background work a 202 starts (<see cref="OperationWaiter"/>).
    /// </summary>
    /// <remarks>
    /// The client's own timeout is longer than the waiter's, so that work that does not finish fails the test with what its
    /// operation last said (<see cref="OperationWaiter"/>), not with the client's bare cancellation.
    /// </remarks>
    public HttpClient Anonymous(bool waitForOperations = true) =>
        new(waitForOperations ? new OperationWaiter(new ContractCheckingHandler()) { Timeout = OperationTimeout } : new ContractCheckingHandler())
        {
            BaseAddress = Host.BaseAddress,
            Timeout = OperationTimeout + TimeSpan.FromMinutes(1),
        };

    /// <summary>A kind of work whose finishing fails until told otherwise (its operations are the tests' own).</summary>
    public FinishingThatFails FinishingThatFails { get; } = new();

    /// <summary>How long a test waits for the background work a request started.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMinutes(3);

    public HttpClient As(string role, string? organisation = null, string? subject = null, bool waitForOperations = true)
    {
        var client = Anonymous(waitForOperations);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role, organisation, subject));
        return client;
    }

    public string Token(string role, string? organisation = null, string? subject = null, TimeSpan? lifetime = null, DateTimeOffset? now = null) =>
        DevelopmentTokens.Issue(Auth, subject ?? $"{role}-{Guid.NewGuid():N}", role, organisation, now ?? Clock.GetUtcNow(), lifetime ?? TimeSpan.FromDays(60));

    /// <summary>Waits, as ministry staff would, for background work that no request of the test started (a timer's).</summary>
    public async Task AwaitOperationAsync(string operationId)
    {
        using var ministry = As(Roles.Ministry);
        await OperationWaiter.WaitAsync(ministry, operationId, OperationTimeout, TestContext.Current.CancellationToken);
    }

    /// <summary>Runs a timer-triggered function now, as its schedule would.</summary>
    public Task FireAsync(string timerFunction) => Host.Timers.FireAsync(timerFunction, TestContext.Current.CancellationToken);

    /// <summary>Direct access to the same storage (the evidence account included), for checks that go around the API.</summary>
    public StorageAccount Storage() => new(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageAccount.ConnectionName] = StorageConnectionString,
            [StorageAccount.EvidenceConnectionName] = EvidenceConnectionString,
        })
        .Build());
}

/// <summary>One host for the whole test run, on the real clock.</summary>
public sealed class GrantsApi : GrantsHost
{
    public override TimeProvider Clock => TimeProvider.System;

    /// <summary>
    /// At the end of the run: a whole-account table query that is not known fails the run (<see cref="TableScans"/>); with
    /// GRANTS_UPDATE_DOCS=1 the examples the clients recorded go into the document (<see cref="ApiContract.WriteExamples"/>).
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (TableScans.Unknown() is { Count: > 0 } scans)
        {
            await base.DisposeAsync();
            throw new InvalidOperationException($"The product read the whole account with queries not known to do so (TableScans.Known); give each a partition key:{Environment.NewLine}{string.Join(Environment.NewLine, scans)}");
        }

        if (ApiContract.RecordingExamples)
        {
            ApiContract.WriteExamples(examples => Grants.Functions.Platform.OpenApi.OpenApiDocument.Render(
                Grants.Functions.Platform.FunctionApp.FunctionAppFiles.ReadMetadata(AppContext.BaseDirectory), "api", typeof(Grants.Functions.Platform.OpenApi.OpenApiDocument).Assembly, examples));
        }

        await base.DisposeAsync();
    }
}

/// <summary>A host of its own whose balance check flags every deviation, so that a draw is always held for confirmation.</summary>
public sealed class StrictBalanceGrantsApi : GrantsHost
{
    public override TimeProvider Clock => TimeProvider.System;

    protected override void Configure(LocalHostOptions options) => options.Settings["Lottery:BalanceThreshold"] = "0";
}

/// <summary>
/// A host of its own whose storage calls can be made to fail (<see cref="StorageFaults"/>), with the
/// SDK's three retries on short delays so that a run under faults stays quick, on a clock the tests
/// move (leases running out).
/// </summary>
public class FaultyGrantsApi : GrantsHost
{
    private readonly RunningClock _clock = new();

    public override TimeProvider Clock => _clock;

    /// <summary>Jumps ahead; time keeps running from there (leases taken by requests in flight run out as usual).</summary>
    public void Advance(TimeSpan by) => _clock.Advance(by);

    /// <summary>The issue's scenario: 10% of storage calls fail before sending, 10% lose their response after the service committed.</summary>
    public const double FailBeforeSend = 0.10;
    public const double LoseResponse = 0.10;

    public StorageFaults Faults { get; } = new(seed: 2008);

    /// <summary>Runs the work with the faults on, reports what was injected and how clients retried, and checks the faults did happen.</summary>
    public async Task UnderFaultsAsync(Func<Task> work, string what)
    {
        RetryingClient.Retried.Clear();
        Faults.ResetCounts();
        Faults.Inject(FailBeforeSend, LoseResponse);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await work();
        }
        finally
        {
            Faults.Inject(0, 0);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{what} in {clock.Elapsed.TotalSeconds:F1} s: {Faults.Calls} storage calls, {Faults.FailedBeforeSend} failed before sending, {Faults.LostResponses} lost responses; sent again after: {string.Join(", ", RetryingClient.Retried.Select(r => $"{r.Key} ×{r.Value}"))}");
        Assert.True(Faults.FailedBeforeSend > 0.05 * Faults.Calls && Faults.LostResponses > 0.05 * Faults.Calls, "the faults were injected");
    }

    protected override StorageClientOptions StorageOptions() => base.StorageOptions()
        .AddPolicy(Faults, Azure.Core.HttpPipelinePosition.PerRetry)
        .Retry(maxRetries: 3, delay: TimeSpan.FromMilliseconds(5), maxDelay: TimeSpan.FromMilliseconds(100));

    protected override void Configure(LocalHostOptions options)
    {
        // Every injected fault is logged as a warning or an error by design (the relay and the retention
        // sweep say what they try again); the tests assert on what was stored, so only critical lines show.
        options.Settings["Logging:LogLevel:Default"] = "Critical";
        // A request that died under faults holding its Idempotency-Key frees it after this long.
        options.Settings["Api:IdempotencyLease"] = "00:00:05";
        // A batch that failed is delivered again after two seconds: long enough for a test to see it stopped halfway.
        options.Settings["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:02";
    }
}

/// <summary>A <see cref="FaultyGrantsApi"/> whose balance check flags every deviation, so that a draw is held and can still be re-drawn.</summary>
public sealed class HeldDrawFaultyGrantsApi : FaultyGrantsApi
{
    protected override void Configure(LocalHostOptions options)
    {
        base.Configure(options);
        options.Settings["Lottery:BalanceThreshold"] = "0";
    }
}

/// <summary>
/// A host of its own whose clock the tests move (deadlines, closing times). Separate from
/// <see cref="GrantsApi"/> so moving time never disturbs tests on the real clock.
/// </summary>
public sealed class ClockedGrantsApi : GrantsHost
{
    private readonly RunningClock _clock = new();

    public override TimeProvider Clock => _clock;

    /// <summary>Jumps ahead; time keeps running from there (leases taken by requests in flight run out as usual).</summary>
    public void Advance(TimeSpan by) => _clock.Advance(by);
}

/// <summary>
/// The real clock, shifted by however far a test has moved it: deadlines and retention dates can be
/// reached in a moment, while time keeps running (leases held by requests in flight run out as usual).
/// </summary>
public sealed class RunningClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}

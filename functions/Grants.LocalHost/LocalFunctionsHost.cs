using Grants.Functions;
using Grants.Functions.Evaluation;
using Grants.Functions.FollowUp;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Identity;
using Grants.LocalHost.Identity;
using Grants.LocalHost.Invocation;
using Grants.LocalHost.Services;
using Grants.LocalHost.Triggers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Scalar.AspNetCore;

namespace Grants.LocalHost;

/// <summary>
/// Runs the function classes of Grants.Functions on Kestrel, from the functions.metadata that the
/// Worker SDK generates for Azure: HTTP triggers on their routes, timer triggers on their schedules, queue triggers
/// on their queues.
/// Starts Azurite when no storage is configured.
/// </summary>
public sealed class LocalFunctionsHost : IAsyncDisposable
{
    public const string ApiReferencePath = "/api-reference";
    public const long MaxRequestBodyBytes = 100L * 1024 * 1024;

    private readonly AzuriteProcess? _azurite;

    private LocalFunctionsHost(WebApplication app, AzuriteProcess? azurite, FunctionCatalog catalog)
    {
        App = app;
        _azurite = azurite;
        Catalog = catalog;
    }

    public WebApplication App { get; }

    public FunctionCatalog Catalog { get; }

    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public string? AzuriteConnectionString => _azurite?.ConnectionString;

    public TimerTriggers Timers => App.Services.GetRequiredService<TimerTriggers>();

    public QueueTriggers Queues => App.Services.GetRequiredService<QueueTriggers>();

    public static async Task<LocalFunctionsHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken)
    {
        var catalog = FunctionCatalog.Load(options.FunctionAppDirectory);
        if (catalog.Unhostable.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, catalog.Unhostable.Select(e => e.Message)));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            ContentRootPath = Directory.GetCurrentDirectory(),
            EnvironmentName = options.EnvironmentName,
        });
        builder.Configuration.AddInMemoryCollection(Defaults());
        AddLocalSettings(builder.Configuration);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(options.Settings);

        AzuriteProcess? azurite = null;
        if (string.IsNullOrEmpty(builder.Configuration[StorageAccount.ConnectionName])
            && string.IsNullOrEmpty(builder.Configuration[StorageAccount.HostConnectionName])
            && !builder.Configuration.GetSection(StorageAccount.ConnectionName).GetChildren().Any())
        {
            azurite = await AzuriteProcess.StartAsync(cancellationToken);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StorageAccount.ConnectionName] = azurite.ConnectionString,
                [StorageAccount.HostConnectionName] = azurite.ConnectionString,
            });
        }

        // Links in mail (the follow-up questionnaire) point at this host unless an address is configured:
        // at the address it listens on, which for port 0 is known only once Kestrel has bound one.
        var publicBaseUrl = $"{FollowUpOptions.SectionName}:{nameof(FollowUpOptions.PublicBaseUrl)}";
        var linksToThisHost = string.IsNullOrEmpty(builder.Configuration[publicBaseUrl]);

        // Export pseudonyms need a key kept apart from the data; locally a fresh one per run (Azurite forgets the data anyway).
        var pseudonymKey = $"{EvaluationOptions.SectionName}:{nameof(EvaluationOptions.PseudonymKey)}";
        if (string.IsNullOrEmpty(builder.Configuration[pseudonymKey]))
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [pseudonymKey] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
        }

        builder.WebHost.UseUrls(options.Url);
        // Azure Functions refuses request bodies over 100 MiB by default; so does the local host.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.AddGrantsFunctions();
        // Only this host accepts development tokens; the function app in Azure has no such issuer.
        builder.Services.AddSingleton<ITokenIssuer, DevelopmentTokenIssuer>();
        // A clock a developer can move on (POST /admin/clock); the tests register clocks of their own after it.
        builder.Services.AddSingleton<LocalClock>();
        builder.Services.AddSingleton<TimeProvider>(services => services.GetRequiredService<LocalClock>());
        if (linksToThisHost)
        {
            builder.Services.AddOptions<FollowUpOptions>().PostConfigure<IServer>((followUp, server) => followUp.PublicBaseUrl = ListeningAddress(server, options.Url));
        }

        options.ConfigureServices?.Invoke(builder.Services);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<TimerTriggers>();
        builder.Services.AddSingleton<QueueTriggers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QueueTriggers>());
        if (options.RunTimersOnSchedule)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<TimerTriggers>());
        }

        var app = builder.Build();
        app.Use(RequestLog.LogAsync);
        app.Use(LastResortProblemsAsync);
        app.MapHttpTriggers(catalog);
        MapAdmin(app);
        app.MapScalarApiReference(ApiReferencePath, o => o.WithOpenApiRoutePattern("/api/openapi.json").WithTitle("Grants API"));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            throw;
        }

        return new LocalFunctionsHost(app, azurite, catalog);
    }

    /// <summary>The address Kestrel bound (a free port when asked for port 0), without a trailing slash; the configured URL before it has bound.</summary>
    private static string ListeningAddress(IServer server, string configured) =>
        (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? configured).TrimEnd('/');

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
        finally
        {
            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }
        }
    }

    private static Dictionary<string, string?> Defaults()
    {
        var root = RepositoryRoot.Find();
        return new Dictionary<string, string?>
        {
            ["Auth:DevelopmentSigningKey"] = DevelopmentSigningKey.LoadOrCreate(root),
            ["Mail:PickupDirectory"] = Path.Combine(root, ".grants", "mail"),
            // One line per request (RequestLog), the host's start and stop, and whatever warns; the
            // framework's and the product's informational lines when a setting asks for them.
            ["Logging:LogLevel:Default"] = "Warning",
            [$"Logging:LogLevel:{RequestLog.Category}"] = "Information",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging:Console:FormatterName"] = "simple",
            ["Logging:Console:FormatterOptions:SingleLine"] = "true",
            ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss ",
        };
    }

    /// <summary>Reads the Values of a local.settings.json in the working directory, as Core Tools would.</summary>
    private static void AddLocalSettings(IConfigurationBuilder configuration)
    {
        var path = Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json");
        if (!File.Exists(path))
        {
            return;
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        if (document.RootElement.TryGetProperty("Values", out var values))
        {
            configuration.AddInMemoryCollection(values.EnumerateObject()
                .Select(p => KeyValuePair.Create(p.Name.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value.ToString())));
        }
    }

    /// <summary>
    /// Core Tools' admin route to run a non-HTTP function now (POST /admin/functions/{name}), and the local clock:
    /// GET /admin/clock tells the host's time, POST /admin/clock?days=N moves it on (1 to 3,650 days).
    /// </summary>
    private static void MapAdmin(WebApplication app)
    {
        app.MapPost("/admin/functions/{name}", async (string name, TimerTriggers timers, CancellationToken cancellationToken) =>
        {
            if (!timers.Contains(name))
            {
                return Problems.Of(ProblemKind.NotFound, $"There is no timer function {name}.");
            }

            await timers.FireAsync(name, cancellationToken);
            return Results.Accepted();
        });
        app.MapGet("/admin/clock", (TimeProvider time) => Results.Ok(ClockState(time)));
        app.MapPost("/admin/clock", (string? days, TimeProvider time) =>
        {
            if (time is not LocalClock clock)
            {
                return Problems.Of(ProblemKind.InvalidTransition, "This host runs on a clock of its own, which cannot be moved from here.");
            }

            if (!int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count is < 1 or > 3650)
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["days"] = ["must be a whole number of days from 1 to 3650"] });
            }

            clock.Advance(TimeSpan.FromDays(count));
            return Results.Ok(ClockState(time));
        });
    }

    private static object ClockState(TimeProvider time) =>
        new { now = time.GetUtcNow(), movedOnBy = time is LocalClock clock ? clock.Offset.ToString() : null };

    private static async Task LastResortProblemsAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<LocalFunctionsHost>();
            await ExceptionProblems.Map(e, logger).ExecuteAsync(context);
        }
    }
}

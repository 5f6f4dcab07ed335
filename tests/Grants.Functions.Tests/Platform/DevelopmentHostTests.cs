using System.Collections.Concurrent;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost;
using Grants.LocalHost.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Tests.Platform;

/// <summary>`grants up` as a developer meets it: the Development environment, and one log line per request.</summary>
public sealed class DevelopmentHostTests(GrantsApi api)
{
    [Fact]
    public async Task TheLocalHostRunsAsDevelopmentAndLogsOneLinePerRequest()
    {
        var lines = new ConcurrentQueue<(string Category, string Message)>();
        var options = OnTheTestsStorage();
        options.EnvironmentName = Environments.Development;
        options.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(lines));
        await using var host = await LocalFunctionsHost.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        Assert.True(host.App.Services.GetRequiredService<IHostEnvironment>().IsDevelopment());
        lines.Clear();
        using var health = await client.GetAsync("api/health", TestContext.Current.CancellationToken);
        using var schemes = await client.GetAsync("api/schemes", TestContext.Current.CancellationToken);

        Assert.Collection(
            lines,
            line => Assert.Matches(@"^GET /api/health 200 in \d+ ms$", line.Message),
            line => Assert.Matches(@"^GET /api/schemes 401 in \d+ ms$", line.Message));
        Assert.All(lines, line => Assert.Equal(RequestLog.Category, line.Category));
    }

    /// <summary>A developer moves the local clock on, to try what happens months after a draw; only forward, only by whole days.</summary>
    [Fact]
    public async Task ADeveloperMovesTheLocalClockOnButNotBack()
    {
        var options = OnTheTestsStorage();
        options.Settings["Logging:LogLevel:Default"] = "Error";
        await using var host = await LocalFunctionsHost.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var before = DateTimeOffset.UtcNow;

        using var moved = await client.PostAsync("admin/clock?days=400", null, TestContext.Current.CancellationToken);
        using var back = await client.PostAsync("admin/clock?days=-1", null, TestContext.Current.CancellationToken);
        using var read = await client.GetAsync("admin/clock", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, back.StatusCode);
        var now = System.Text.Json.JsonDocument.Parse(await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("now").GetDateTimeOffset();
        Assert.InRange(now, before.AddDays(400), DateTimeOffset.UtcNow.AddDays(400).AddMinutes(1));
        Assert.InRange(host.App.Services.GetRequiredService<TimeProvider>().GetUtcNow(), before.AddDays(400), DateTimeOffset.UtcNow.AddDays(400).AddMinutes(1));
    }

    /// <summary>A local host of this test's own, on the tests' Azurite and signing key, with the host's default settings otherwise.</summary>
    private LocalHostOptions OnTheTestsStorage()
    {
        var options = new LocalHostOptions { Url = "http://127.0.0.1:0", RunTimersOnSchedule = false };
        options.Settings[StorageAccount.ConnectionName] = api.StorageConnectionString;
        options.Settings[StorageAccount.HostConnectionName] = api.StorageConnectionString;
        options.Settings["Auth:DevelopmentSigningKey"] = api.Auth.DevelopmentSigningKey;
        return options;
    }

    /// <summary>Keeps what passes the host's log filters, as the console would show it.</summary>
    private sealed class CapturingLoggerProvider(ConcurrentQueue<(string Category, string Message)> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string Category, string Message)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, formatter(state, exception)));
        }
    }
}

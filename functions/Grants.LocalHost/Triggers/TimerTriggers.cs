using Cronos;
using Grants.LocalHost.Invocation;
using Microsoft.Azure.Functions.Worker;

namespace Grants.LocalHost.Triggers;

/// <summary>
/// Runs timer-triggered functions on their NCRONTAB schedule (six fields with seconds, or five),
/// in UTC as Azure does by default, and lets tests and operators fire one now.
/// </summary>
public sealed partial class TimerTriggers(FunctionCatalog catalog, IServiceScopeFactory scopes, TimeProvider time, IConfiguration configuration, ILogger<TimerTriggers> logger)
    : BackgroundService
{
    private readonly Dictionary<string, HostedFunction> _timers = catalog.Functions
        .Where(f => f.Trigger.IsTimerTrigger)
        .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _timers.Keys;

    public bool Contains(string name) => _timers.ContainsKey(name);

    /// <summary>Runs the function once, now, as its schedule would.</summary>
    public async Task FireAsync(string name, CancellationToken cancellationToken)
    {
        var function = _timers[name];
        await using var scope = scopes.CreateAsyncScope();
        await function.InvokeAsync(scope.ServiceProvider, new InvocationInput(null, new TimerInfo { IsPastDue = false }, cancellationToken));
    }

    public CronExpression Schedule(HostedFunction function)
    {
        var expression = function.Trigger.Schedule ?? throw new InvalidOperationException($"Timer {function.Name} has no schedule.");
        if (expression.StartsWith('%') && expression.EndsWith('%'))
        {
            // Like Azure, a schedule of %Name% is read from app settings.
            var setting = expression.Trim('%');
            expression = configuration[setting] ?? throw new InvalidOperationException($"Timer {function.Name} reads its schedule from setting {setting}, which is not set.");
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_timers.Values.Select(f => RunScheduleAsync(f, stoppingToken)));

    private async Task RunScheduleAsync(HostedFunction function, CancellationToken stoppingToken)
    {
        var schedule = Schedule(function);
        if (function.Trigger.RunOnStartup == true)
        {
            await RunOnceAsync(function.Name, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunOnceAsync(function.Name, stoppingToken);
        }
    }

    private async Task RunOnceAsync(string name, CancellationToken stoppingToken)
    {
        try
        {
            await FireAsync(name, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As in Azure: a failed run is logged and the next occurrence runs as scheduled.
            LogTimerFailed(logger, e, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    private static partial void LogTimerFailed(ILogger logger, Exception exception, string function);
}

using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Grants.Functions.Platform.FunctionApp;
using Grants.LocalHost.Invocation;

namespace Grants.LocalHost.Triggers;

/// <summary>
/// Runs queue-triggered functions as the Functions host does (host.json <c>extensions.queues</c>, overridable by the
/// settings <c>AzureFunctionsJobHost__extensions__queues__*</c> as in Azure): it fetches up to batchSize messages and
/// fetches more when no more than newBatchThreshold are in flight; an idle queue is polled less and less often, up to
/// maxPollingInterval apart; a message is invisible while its function runs, deleted when it succeeds, made visible
/// again after visibilityTimeout when it fails, and moved to the {queue}-poison queue after maxDequeueCount deliveries.
/// Like the host, it keeps a message invisible while its function runs by renewing the invisibility; unlike the host's ten
/// minutes, each renewal is for <see cref="InFlightVisibility"/>, so that a message whose receipt was lost on the way (the
/// emulator took it, the answer did not arrive) is delivered again within that time, not ten minutes later. A delivery
/// that runs long, a renewal that fails and a message delivered again without having failed here are logged as warnings.
/// </summary>
/// <remarks>
/// The in-flight window is the local host's own setting (<see cref="InFlightVisibilitySetting"/>, 30 s unless set), not one
/// of host.json's: the tests of the renewal shorten it so that a delivery outlives several windows within seconds.
/// </remarks>
public sealed partial class QueueTriggers(FunctionCatalog catalog, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<QueueTriggers> logger)
    : BackgroundService
{
    public const string InFlightVisibilitySetting = "LocalHost:Queues:InFlightVisibility";

    /// <summary>How long a received message stays invisible before its delivery renews it (or, lost, it is delivered again).</summary>
    public TimeSpan InFlightVisibility { get; } = InFlightWindow(configuration[InFlightVisibilitySetting]);

    /// <summary>How often a running delivery's invisibility is renewed: three times within <see cref="InFlightVisibility"/>.</summary>
    public TimeSpan RenewEvery => InFlightVisibility / 3;

    /// <summary>A delivery still running after this long (and after each further such stretch) is logged.</summary>
    public static readonly TimeSpan LongRun = TimeSpan.FromMinutes(2);

    /// <summary>How soon the host polls again after finding messages; it doubles while the queue stays empty.</summary>
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<HostedFunction> _functions = catalog.Functions.Where(f => f.Trigger.IsQueueTrigger).ToList();

    /// <summary>Messages whose last delivery failed here: one delivered again that is not among them lost a delivery on the way.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _failedHere = new(StringComparer.Ordinal);

    /// <summary>
    /// Raised when a delivery of a message ends: its function succeeded and the message was deleted, or it failed and the
    /// message waits for its next delivery or was set aside. Whoever must wait for a message they sent (a test) listens
    /// here rather than watching the queue, where a message being processed is invisible.
    /// </summary>
    public event Action<QueueDelivery>? Delivered;

    /// <summary>Raised when a running delivery's invisibility was renewed (the tests of the renewal count these).</summary>
    public event Action<QueueRenewal>? Renewed;

    public QueueTriggerSettings Settings { get; } = FunctionAppFiles.ReadQueueSettings(catalog.Directory)
        .With(configuration.GetSection("AzureFunctionsJobHost:extensions:queues").GetChildren()
            .Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_functions.Select(f => ListenAsync(f, stoppingToken)));

    private async Task ListenAsync(HostedFunction function, CancellationToken stoppingToken)
    {
        var connection = configuration[function.Trigger.Connection ?? "AzureWebJobsStorage"]
            ?? throw new InvalidOperationException($"Queue trigger {function.Name} reads connection {function.Trigger.Connection ?? "AzureWebJobsStorage"}, which is not set.");
        var name = function.Trigger.QueueName ?? throw new InvalidOperationException($"Queue trigger {function.Name} names no queue.");
        var queue = new QueueClient(connection, name);
        var poison = new QueueClient(connection, name + "-poison");
        var inFlight = new List<Task>();
        var delay = MinimumPollingInterval;
        try
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                if (inFlight.Count > Settings.NewBatchThreshold)
                {
                    await Task.WhenAny(inFlight);
                    continue;
                }

                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(Settings.BatchSize, InFlightVisibility, stoppingToken)).Value;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPollFailed(logger, e, name);
                    messages = [];
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(Jittered(delay), stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Max(Settings.MaxPollingInterval.Ticks, MinimumPollingInterval.Ticks)));
                    continue;
                }

                delay = MinimumPollingInterval;
                inFlight.AddRange(messages.Select(m => ProcessAsync(function, queue, poison, m, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(inFlight);
    }

    private async Task ProcessAsync(HostedFunction function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            if (message.DequeueCount > 1 && !_failedHere.TryRemove(message.MessageId, out _))
            {
                LogDeliveredAgain(logger, message.MessageId, queue.Name, message.DequeueCount);
            }

            if (message.DequeueCount > Settings.MaxDequeueCount)
            {
                // Delivered too often already (a run that died without failing): set aside unread, as the host does.
                await MoveToPoisonAsync(queue, poison, message, message.PopReceipt, stoppingToken);
                return;
            }

            Exception? failure = null;
            var lease = new Lease(this, queue, message, function.Name, logger, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await function.InvokeAsync(scope.ServiceProvider, new InvocationInput(null, null, stoppingToken, Text(message)));
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                failure = e;
            }
            finally
            {
                await lease.EndAsync();
            }

            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, stoppingToken);
                Delivered?.Invoke(new QueueDelivery(queue.Name, message.MessageId, message.DequeueCount, Succeeded: true));
                return;
            }

            LogFailed(logger, failure, function.Name, message.MessageId, message.DequeueCount);
            if (message.DequeueCount >= Settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, lease.PopReceipt, stoppingToken);
            }
            else
            {
                _failedHere[message.MessageId] = 0;
                await queue.UpdateMessageAsync(message.MessageId, lease.PopReceipt, visibilityTimeout: Settings.VisibilityTimeout, cancellationToken: stoppingToken);
            }

            Delivered?.Invoke(new QueueDelivery(queue.Name, message.MessageId, message.DequeueCount, Succeeded: false));
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The queue itself failed (delete, update or poison); the message becomes visible again when its time runs out.
            LogQueueFailed(logger, e, queue.Name, message.MessageId);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the message becomes visible again and is delivered to the next host.
        }
    }

    private string Text(QueueMessage message) =>
        Settings.MessageEncoding == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())) : message.Body.ToString();

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        LogSetAside(logger, message.MessageId, queue.Name, poison.Name, message.DequeueCount);
        _failedHere.TryRemove(message.MessageId, out _);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken);
    }

    private static TimeSpan InFlightWindow(string? setting)
    {
        if (string.IsNullOrEmpty(setting))
        {
            return TimeSpan.FromSeconds(30);
        }

        // Queues count whole seconds; a window under one second would hide nothing.
        return TimeSpan.TryParse(setting, System.Globalization.CultureInfo.InvariantCulture, out var window) && window >= TimeSpan.FromSeconds(1) && window.Ticks % TimeSpan.TicksPerSecond == 0
            ? window
            : throw new InvalidOperationException($"{InFlightVisibilitySetting} is {setting}: a whole number of seconds, at least one, is expected (e.g. 00:00:30).");
    }

    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed; polling goes on")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function {Function} failed on message {MessageId} (delivery {DequeueCount})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of queue {Queue} is set aside in {Poison} after {DequeueCount} deliveries")]
    private static partial void LogSetAside(ILogger logger, string messageId, string queue, string poison, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of queue {Queue} is delivered again (delivery {DequeueCount}) without its last delivery having failed here: that delivery was lost on the way or outlived its invisibility")]
    private static partial void LogDeliveredAgain(ILogger logger, string messageId, string queue, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function {Function} has run for {Elapsed} on message {MessageId}")]
    private static partial void LogLongRun(ILogger logger, string function, string messageId, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the invisibility of message {MessageId} of queue {Queue} failed; it may be delivered again while its function runs")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string messageId, string queue);

    /// <summary>
    /// A received message kept invisible while its function runs: renewed every <see cref="RenewEvery"/> (the receipt each
    /// renewal returns is the one the delivery then deletes or updates the message with), and logged when it runs long.
    /// </summary>
    private sealed class Lease
    {
        private readonly CancellationTokenSource _end = new();
        private readonly Task _renewing;

        public Lease(QueueTriggers triggers, QueueClient queue, QueueMessage message, string function, ILogger logger, CancellationToken stoppingToken)
        {
            PopReceipt = message.PopReceipt;
            _renewing = RenewAsync(triggers, queue, message, function, logger, stoppingToken);
        }

        public string PopReceipt { get; private set; }

        /// <summary>Stops renewing; a renewal under way is awaited, so that <see cref="PopReceipt"/> is the message's latest.</summary>
        public async Task EndAsync()
        {
            await _end.CancelAsync();
            await _renewing;
            _end.Dispose();
        }

        private async Task RenewAsync(QueueTriggers triggers, QueueClient queue, QueueMessage message, string function, ILogger logger, CancellationToken stoppingToken)
        {
            var messageId = message.MessageId;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var logged = 0;
            while (true)
            {
                try
                {
                    await Task.Delay(triggers.RenewEvery, _end.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    PopReceipt = (await queue.UpdateMessageAsync(messageId, PopReceipt, visibilityTimeout: triggers.InFlightVisibility, cancellationToken: stoppingToken)).Value.PopReceipt;
                    triggers.Renewed?.Invoke(new QueueRenewal(queue.Name, messageId, message.DequeueCount));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(logger, e, messageId, queue.Name);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (elapsed >= LongRun * (logged + 1))
                {
                    logged++;
                    LogLongRun(logger, function, messageId, elapsed);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Queue} refused a step for message {MessageId}; it is delivered again when its invisibility ends")]
    private static partial void LogQueueFailed(ILogger logger, Exception exception, string queue, string messageId);
}

/// <summary>One delivery of a queue message that ended: its function succeeded (the message is gone) or failed.</summary>
public sealed record QueueDelivery(string Queue, string MessageId, long DequeueCount, bool Succeeded);

/// <summary>The invisibility of a message whose function is still running was renewed.</summary>
public sealed record QueueRenewal(string Queue, string MessageId, long DequeueCount);

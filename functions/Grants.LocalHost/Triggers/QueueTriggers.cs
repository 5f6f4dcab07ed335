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
/// Unlike the host it does not renew a message's invisibility: a function that runs longer than
/// <see cref="InFlightVisibility"/> sees its message delivered again.
/// </summary>
public sealed partial class QueueTriggers(FunctionCatalog catalog, IServiceScopeFactory scopes, IConfiguration configuration, ILogger<QueueTriggers> logger)
    : BackgroundService
{
    public static readonly TimeSpan InFlightVisibility = TimeSpan.FromMinutes(10);

    /// <summary>How soon the host polls again after finding messages; it doubles while the queue stays empty.</summary>
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<HostedFunction> _functions = catalog.Functions.Where(f => f.Trigger.IsQueueTrigger).ToList();

    /// <summary>
    /// Raised when a delivery of a message ends: its function succeeded and the message was deleted, or it failed and the
    /// message waits for its next delivery or was set aside. Whoever must wait for a message they sent (a test) listens
    /// here rather than watching the queue, where a message being processed is invisible.
    /// </summary>
    public event Action<QueueDelivery>? Delivered;

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
            if (message.DequeueCount > Settings.MaxDequeueCount)
            {
                // Delivered too often already (a run that died without failing): set aside unread, as the host does.
                await MoveToPoisonAsync(queue, poison, message, stoppingToken);
                return;
            }

            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await function.InvokeAsync(scope.ServiceProvider, new InvocationInput(null, null, stoppingToken, Text(message)));
                }

                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                Delivered?.Invoke(new QueueDelivery(queue.Name, message.MessageId, message.DequeueCount, Succeeded: true));
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e, function.Name, message.MessageId, message.DequeueCount);
                if (message.DequeueCount >= Settings.MaxDequeueCount)
                {
                    await MoveToPoisonAsync(queue, poison, message, stoppingToken);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: Settings.VisibilityTimeout, cancellationToken: stoppingToken);
                }

                Delivered?.Invoke(new QueueDelivery(queue.Name, message.MessageId, message.DequeueCount, Succeeded: false));
            }
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

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        LogSetAside(logger, message.MessageId, queue.Name, poison.Name, message.DequeueCount);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    private static TimeSpan Jittered(TimeSpan delay) => delay * (0.8 + (Random.Shared.NextDouble() * 0.4));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed; polling goes on")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue function {Function} failed on message {MessageId} (delivery {DequeueCount})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} of queue {Queue} is set aside in {Poison} after {DequeueCount} deliveries")]
    private static partial void LogSetAside(ILogger logger, string messageId, string queue, string poison, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Queue} refused a step for message {MessageId}; it is delivered again when its invisibility ends")]
    private static partial void LogQueueFailed(ILogger logger, Exception exception, string queue, string messageId);
}

/// <summary>One delivery of a queue message that ended: its function succeeded (the message is gone) or failed.</summary>
public sealed record QueueDelivery(string Queue, string MessageId, long DequeueCount, bool Succeeded);

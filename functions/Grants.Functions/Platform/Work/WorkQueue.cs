using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Platform.Work;

/// <summary>
/// The queue of round-wide work, in the Functions host's account, where <see cref="RunBackgroundWork"/> listens. The host
/// delivers a message again until the function succeeds, at most <see cref="MaxDequeueCount"/> times, then moves it to
/// the poison queue (host.json <c>extensions.queues</c>; a test checks the two agree).
/// </summary>
public sealed class WorkQueue(StorageAccount storage)
{
    public const string Name = "round-work";

    /// <summary>Where the host puts a message that failed on every delivery.</summary>
    public const string PoisonName = Name + "-poison";

    /// <summary>host.json's <c>maxDequeueCount</c>: deliveries before a message is set aside.</summary>
    public const int MaxDequeueCount = 5;

    private readonly Lazy<Task<QueueClient>> _queue = new(async () =>
    {
        var client = storage.HostQueueService.GetQueueClient(Name);
        await client.CreateIfNotExistsAsync();
        return client;
    });

    public async Task SendAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        var queue = await _queue.Value.WaitAsync(cancellationToken);
        await queue.SendMessageAsync(message.ToJson(), cancellationToken);
    }
}

/// <summary>
/// One message of the work queue: list an operation's items (no batch), or do one batch of them. Read strictly: exactly
/// these members, case-sensitive, no duplicates, and an operation id of its exact form.
/// </summary>
public sealed record WorkMessage(
    [property: JsonPropertyName("operation"), JsonRequired] string Operation,
    [property: JsonPropertyName("batch")] int? Batch = null)
{
    private static readonly JsonSerializerOptions Strict = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Strict);

    public static WorkMessage Parse(string text)
    {
        var message = JsonSerializer.Deserialize<WorkMessage>(text, Strict) ?? throw new FormatException("A work message is a JSON object.");
        if (!OperationIds.IsValid(message.Operation))
        {
            throw new FormatException($"A work message names an operation by its id; '{message.Operation}' is not one.");
        }

        if (message.Batch is < 0)
        {
            throw new FormatException("A work message's batch is a number from 0.");
        }

        return message;
    }
}

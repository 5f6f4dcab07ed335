using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// How the table, blob and queue clients talk to the storage service: the SDK's retry settings and any
/// extra pipeline policies. The defaults are the SDK's (three retries with exponential back-off);
/// the reliability tests register their own instance to inject faults below the SDK.
/// </summary>
public sealed class StorageClientOptions
{
    public TableClientOptions Tables { get; } = new();

    public BlobClientOptions Blobs { get; } = new();

    /// <summary>Messages in base64, as the Functions host's queue trigger reads them by default (host.json <c>messageEncoding</c>).</summary>
    public QueueClientOptions Queues { get; } = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>Adds a policy to every client's pipeline.</summary>
    public StorageClientOptions AddPolicy(HttpPipelinePolicy policy, HttpPipelinePosition position)
    {
        Tables.AddPolicy(policy, position);
        Blobs.AddPolicy(policy, position);
        Queues.AddPolicy(policy, position);
        return this;
    }

    /// <summary>Sets the same retry behaviour on every client.</summary>
    public StorageClientOptions Retry(int maxRetries, TimeSpan delay, TimeSpan maxDelay)
    {
        foreach (var retry in new[] { Tables.Retry, Blobs.Retry, Queues.Retry })
        {
            retry.MaxRetries = maxRetries;
            retry.Delay = delay;
            retry.MaxDelay = maxDelay;
        }

        return this;
    }
}

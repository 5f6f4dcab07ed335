using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// How the table and blob clients talk to the storage service: the SDK's retry settings and any
/// extra pipeline policies. The defaults are the SDK's (three retries with exponential back-off);
/// the reliability tests register their own instance to inject faults below the SDK.
/// </summary>
public sealed class StorageClientOptions
{
    public TableClientOptions Tables { get; } = new();

    public BlobClientOptions Blobs { get; } = new();

    /// <summary>Adds a policy to both clients' pipelines.</summary>
    public StorageClientOptions AddPolicy(HttpPipelinePolicy policy, HttpPipelinePosition position)
    {
        Tables.AddPolicy(policy, position);
        Blobs.AddPolicy(policy, position);
        return this;
    }

    /// <summary>Sets the same retry behaviour on both clients.</summary>
    public StorageClientOptions Retry(int maxRetries, TimeSpan delay, TimeSpan maxDelay)
    {
        foreach (var retry in new[] { Tables.Retry, Blobs.Retry })
        {
            retry.MaxRetries = maxRetries;
            retry.Delay = delay;
            retry.MaxDelay = maxDelay;
        }

        return this;
    }
}

using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Azure;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>
/// Frozen pools in Blob Storage, {round}/{pool hash}.json, written once and never overwritten (docs/design.md §4).
/// The document is <see cref="FrozenPool"/> in JSON's web form; pools stored before keep being read as they are.
/// </summary>
public sealed class PoolStore(StorageAccount storage)
{
    private static readonly JsonSerializerOptions Format = new(JsonSerializerDefaults.Web);

    /// <summary>The frozen pool of a round whose pool is frozen.</summary>
    public async Task<FrozenPool> ReadAsync(RoundData round, CancellationToken cancellationToken)
    {
        var hash = round.PoolHash ?? throw new InvalidOperationException($"Round {round.Id} has no frozen pool.");
        var container = await storage.ContainerAsync(ContainerNames.Pools, cancellationToken);
        var content = await container.GetBlobClient(BlobName(round.Id, hash)).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToObjectFromJson<FrozenPool>(Format)!;
    }

    /// <summary>Content-addressed and never overwritten: a retried freeze finds its own document already there.</summary>
    public async Task WriteOnceAsync(FrozenPool pool, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerNames.Pools, cancellationToken);
        var blob = container.GetBlobClient(BlobName(pool.RoundId, pool.PoolHash));
        try
        {
            await blob.UploadAsync(
                Serialize(pool),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Same hash, same pool: written by an earlier attempt, if it is there. A conflict for another reason (a lease,
            // a container being deleted) has written nothing, and the freeze must not record a pool that cannot be read.
            if (!(await blob.ExistsAsync(cancellationToken)).Value)
            {
                throw;
            }
        }
    }

    /// <summary>The stored document's bytes.</summary>
    public static BinaryData Serialize(FrozenPool pool) => BinaryData.FromObjectAsJson(pool, Format);

    private static string BlobName(string roundId, string hash) => $"{roundId}/{hash}.json";
}

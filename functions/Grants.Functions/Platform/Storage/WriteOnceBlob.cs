using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// How evidence is written (<see cref="ContainerNames.Evidence"/>): a blob is created only where its name
/// is free (If-None-Match: *) and never overwritten or deleted; in Azure the locked write-once policy
/// would refuse that anyway. A name already taken counts as written only when it holds the very same
/// bytes — the SDK's retry of a write whose response was lost, or a command repeated — and other bytes
/// under it are an error, never passed over.
/// </summary>
public static class WriteOnceBlob
{
    /// <returns>True when this call created the blob; false when it already held these bytes.</returns>
    /// <exception cref="EvidenceConflictException">The name holds other bytes.</exception>
    public static async Task<bool> CreateAsync(BlobClient blob, BinaryData content, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            await RequireSameContentAsync(blob, SHA256.HashData(content), e, cancellationToken);
            return false;
        }
    }

    /// <summary>Creates the blob from blocks staged before (see <see cref="StagedBlob"/>), whose bytes hash to <paramref name="sha256"/>.</summary>
    /// <returns>True when this call created the blob; false when it already held these bytes.</returns>
    /// <exception cref="EvidenceConflictException">The name holds other bytes.</exception>
    public static async Task<bool> CommitAsync(BlockBlobClient blob, IEnumerable<string> blockIds, byte[] sha256, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            await RequireSameContentAsync(blob, sha256, e, cancellationToken);
            return false;
        }
    }

    /// <summary>The blob's bytes as stored, hashed as they stream in (evidence can be large).</summary>
    public static async Task<(byte[] Sha256, long Length)?> HashAsync(BlobBaseClient blob, CancellationToken cancellationToken)
    {
        try
        {
            using var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            return (await SHA256.HashDataAsync(download.Content, cancellationToken), download.Details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static async Task RequireSameContentAsync(BlobBaseClient blob, byte[] sha256, RequestFailedException refused, CancellationToken cancellationToken)
    {
        var existing = await HashAsync(blob, cancellationToken);
        if (existing is null)
        {
            // Refused for another reason than the name being taken (a lease, a container being deleted): nothing was written.
            ExceptionDispatchInfo.Throw(refused);
        }

        if (!existing.Value.Sha256.AsSpan().SequenceEqual(sha256))
        {
            throw new EvidenceConflictException(blob.BlobContainerName, blob.Name);
        }
    }
}

/// <summary>An evidence blob's name already holds other bytes: evidence is never overwritten, so the write is refused.</summary>
public sealed class EvidenceConflictException(string container, string name)
    : Exception($"{container}/{name} already holds other content; evidence is never overwritten.")
{
    public string Container { get; } = container;

    public string Name { get; } = name;
}

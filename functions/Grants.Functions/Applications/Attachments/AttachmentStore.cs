using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Grants.PdfScanning;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Applications.Attachments;

/// <summary>A file kept in Blob Storage, with what we measured of it.</summary>
public sealed record StoredFile(string BlobName, long Size, string Sha256, string MediaType);

/// <summary>A file as it arrives: its bytes as a stream, and the length its sender declared, if any.</summary>
public sealed record FileUpload(Stream Content, long? DeclaredLength);

/// <summary>
/// Streams uploads into Blob Storage one block at a time — never the whole file in memory —
/// while checking what the bytes are (a PDF starts with <c>%PDF-</c>, ends with <c>%%EOF</c> and carries
/// no active content, see <see cref="PdfActiveContent"/>),
/// counting them against the limit and hashing them. The blob becomes visible only when its block
/// list is committed, after every check passed; a file that ends within its first block is instead written
/// in one call, also after every check. A refused upload leaves nothing behind.
/// </summary>
public sealed class AttachmentStore(StorageAccount storage, IOptions<AttachmentOptions> options)
{
    public const string PdfMediaType = "application/pdf";
    private const int TrailerWindow = 1024;

    /// <param name="ownerId">The application, grant or voucher the file belongs to: its blob is named <c>{ownerId}/{kind}/…</c>.</param>
    /// <returns>The stored file, or why it was refused (nothing is then left behind).</returns>
    public async Task<Result<StoredFile>> UploadAsync(string ownerId, string kind, FileUpload upload, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxBytes;
        if (upload.DeclaredLength > max)
        {
            return TooLarge(max);
        }

        var blockSize = options.Value.BlockBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            var filled = await FillAsync(upload.Content, buffer, blockSize, cancellationToken);
            if (filled < 5 || !buffer.AsSpan(0, 5).SequenceEqual("%PDF-"u8))
            {
                return new Failure(ProblemKind.UnsupportedMediaType, "The file is not a PDF: its first bytes are not %PDF-. Whatever its name or Content-Type, only PDF files are accepted.");
            }

            var container = await storage.ContainerAsync(ContainerNames.Attachments, cancellationToken);
            var blobName = $"{ownerId}/{kind}/{Guid.NewGuid():N}.pdf";
            var blob = container.GetBlockBlobClient(blobName);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var active = new PdfActiveContent();
            var tail = new byte[TrailerWindow];
            var tailLength = 0;
            var blockIds = new List<string>();
            long total = 0;
            while (filled > 0)
            {
                total += filled;
                if (total > max)
                {
                    await DiscardAsync(blob, blockIds.Count);
                    return TooLarge(max);
                }

                hash.AppendData(buffer, 0, filled);
                active.Scan(buffer.AsSpan(0, filled));
                if (Refusal(active) is { } refused)
                {
                    await DiscardAsync(blob, blockIds.Count);
                    return refused;
                }

                tailLength = KeepTail(tail, tailLength, buffer.AsSpan(0, filled));
                if (blockIds.Count == 0 && filled < blockSize)
                {
                    // The whole file came in its first block: it is written in one call once checked, not staged and committed.
                    break;
                }

                var blockId = Convert.ToBase64String(BitConverter.GetBytes((long)blockIds.Count));
                using (var block = new MemoryStream(buffer, 0, filled, writable: false))
                {
                    await blob.StageBlockAsync(blockId, block, cancellationToken: cancellationToken);
                }

                blockIds.Add(blockId);
                filled = await FillAsync(upload.Content, buffer, blockSize, cancellationToken);
            }

            active.Complete();
            if (Refusal(active) is { } refusedAtEnd)
            {
                await DiscardAsync(blob, blockIds.Count);
                return refusedAtEnd;
            }

            if (tail.AsSpan(0, tailLength).IndexOf("%%EOF"u8) < 0)
            {
                await DiscardAsync(blob, blockIds.Count);
                return Failure.Invalid(new Dictionary<string, string[]> { ["file"] = ["the PDF is truncated or damaged: it has no %%EOF marker at its end"] });
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            try
            {
                var headers = new BlobHttpHeaders { ContentType = PdfMediaType };
                var metadata = new Dictionary<string, string> { ["sha256"] = sha256 };
                var onlyIfNew = new BlobRequestConditions { IfNoneMatch = ETag.All };
                if (blockIds.Count == 0)
                {
                    using var whole = new MemoryStream(buffer, 0, (int)total, writable: false);
                    await blob.UploadAsync(whole, new BlobUploadOptions { HttpHeaders = headers, Metadata = metadata, Conditions = onlyIfNew }, cancellationToken);
                }
                else
                {
                    await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions { HttpHeaders = headers, Metadata = metadata, Conditions = onlyIfNew }, cancellationToken);
                }
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The blob name is this upload's own, so the blob can only be there because the SDK
                // retried a write or commit whose response was lost. Anything else is a real failure.
                if (!await IsCommittedAsync(blob, sha256, total, cancellationToken))
                {
                    throw;
                }
            }

            return new StoredFile(blobName, total, sha256, PdfMediaType);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<bool> IsCommittedAsync(BlockBlobClient blob, string sha256, long size, CancellationToken cancellationToken)
    {
        var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        return properties.ContentLength == size && properties.Metadata.TryGetValue("sha256", out var stored) && stored == sha256;
    }

    public async Task<Stream> OpenReadAsync(string blobName, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerNames.Attachments, cancellationToken);
        var download = await container.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
        return download.Value.Content;
    }

    /// <summary>Deletes a stored file whose record could not be saved, so that no unreferenced upload is left behind.</summary>
    public async Task DeleteAsync(string blobName)
    {
        var container = await storage.ContainerAsync(ContainerNames.Attachments, CancellationToken.None);
        await container.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
    }

    /// <summary>Retention: removes every file stored for an application, grant or voucher (all are named <c>{id}/…</c>), including any upload whose record was never saved.</summary>
    public async Task DeleteAllAsync(string ownerId, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerNames.Attachments, cancellationToken);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{ownerId}/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Removes staged blocks of a refused upload now rather than leaving them for the service's
    /// garbage collection: committing an empty block list drops them, and the empty blob is deleted.
    /// </summary>
    private static async Task DiscardAsync(BlockBlobClient blob, int stagedBlocks)
    {
        if (stagedBlocks == 0)
        {
            return;
        }

        await blob.CommitBlockListAsync([], cancellationToken: CancellationToken.None);
        await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
    }

    private static Failure? Refusal(PdfActiveContent active) => active switch
    {
        { Found: { } name } => Failure.Invalid(new Dictionary<string, string[]> { ["file"] = [$"the PDF contains active content ({name}); save it without scripts, embedded files or actions"] }),
        { Obscured: { } reason } => Failure.Invalid(new Dictionary<string, string[]> { ["file"] = [$"the PDF cannot be checked for active content: it has {reason}; save it again as a plain PDF, for example with Print to PDF"] }),
        _ => null,
    };

    private static Failure TooLarge(long max) =>
        new(ProblemKind.PayloadTooLarge, $"Files may be at most {max / (1024 * 1024)} MiB ({max} bytes).");

    private static async Task<int> FillAsync(Stream source, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < count && (read = await source.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static int KeepTail(byte[] tail, int tailLength, ReadOnlySpan<byte> block)
    {
        if (block.Length >= tail.Length)
        {
            block[^tail.Length..].CopyTo(tail);
            return tail.Length;
        }

        var keep = Math.Min(tailLength, tail.Length - block.Length);
        tail.AsSpan(tailLength - keep, keep).CopyTo(tail);
        block.CopyTo(tail.AsSpan(keep));
        return keep + block.Length;
    }
}

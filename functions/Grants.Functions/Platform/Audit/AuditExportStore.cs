using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Grants.Contracts.Audit;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Platform.Audit;

/// <summary>An export whose manifest stands, with the SHA-256 of the manifest's bytes.</summary>
public sealed record StoredAuditExport(AuditExportManifest Manifest, string ManifestSha256);

/// <summary>
/// The evidence exports in the <c>audit-exports</c> container (docs/decisions/0011): each under
/// <c>{yyyy}/{MM}/{dd}/{HHmmss}Z/</c> in UTC, its parts first and <c>manifest.json</c> last, so an
/// export counts only once its manifest stands. Finds the latest complete one and what it recorded.
/// </summary>
public sealed partial class AuditExportStore(StorageAccount storage)
{
    public const string ChainHeadsPart = "chain-heads.jsonl";
    public const string LedgersPart = "ledgers.jsonl";
    public const string PublishedPart = "published.jsonl";
    public const string ManifestName = "manifest.json";

    /// <summary>Read as strictly as every published document (names as written, nothing unknown or twice), one line per record.</summary>
    public static JsonSerializerOptions Json { get; } = new(Grants.Domain.Lottery.PublishedJson.Options) { WriteIndented = false };

    /// <summary>The export's name for a run that began at <paramref name="at"/>.</summary>
    public static string NameFor(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy'/'MM'/'dd'/'HHmmss'Z'", CultureInfo.InvariantCulture);

    public Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => storage.ContainerAsync(ContainerNames.AuditExports, cancellationToken);

    /// <summary>The newest export whose manifest stands; exports a failed run left without one are passed over.</summary>
    public async Task<StoredAuditExport?> LatestAsync(CancellationToken cancellationToken) =>
        await LatestUnderAsync(await ContainerAsync(cancellationToken), "", 0, cancellationToken);

    /// <summary>The head the export recorded for the aggregate, read line by line; null when it recorded none.</summary>
    public async Task<ExportedChainHead?> FindHeadAsync(StoredAuditExport export, string aggregateId, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        using var download = (await container.GetBlobClient($"{export.Manifest.Export}/{ChainHeadsPart}").DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
        using var lines = new StreamReader(download.Content, Encoding.UTF8);
        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            var head = JsonSerializer.Deserialize<ExportedChainHead>(line, Json);
            if (head?.AggregateId == aggregateId)
            {
                return head;
            }
        }

        return null;
    }

    /// <summary>
    /// Walks the folders newest first — years, months, days, then runs — and stops at the first run with a
    /// manifest: a few listings, however many years of exports there are.
    /// </summary>
    private static async Task<StoredAuditExport?> LatestUnderAsync(BlobContainerClient container, string prefix, int depth, CancellationToken cancellationToken)
    {
        var folders = new List<string>();
        await foreach (var item in container.GetBlobsByHierarchyAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "/", prefix, cancellationToken))
        {
            if (item.IsPrefix && Levels[depth].IsMatch(item.Prefix[prefix.Length..]))
            {
                folders.Add(item.Prefix);
            }
        }

        foreach (var folder in folders.OrderDescending(StringComparer.Ordinal))
        {
            var found = depth == Levels.Length - 1
                ? await ReadAsync(container, folder.TrimEnd('/'), cancellationToken)
                : await LatestUnderAsync(container, folder, depth + 1, cancellationToken);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private static async Task<StoredAuditExport?> ReadAsync(BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        BinaryData bytes;
        try
        {
            bytes = (await container.GetBlobClient($"{name}/{ManifestName}").DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // a run that did not finish
        }

        var manifest = bytes.ToObjectFromJson<AuditExportManifest>(Json);
        return manifest?.Export == name ? new StoredAuditExport(manifest, Convert.ToHexStringLower(SHA256.HashData(bytes.ToMemory().Span))) : null;
    }

    private static readonly Regex[] Levels = [Year(), TwoDigits(), TwoDigits(), Run()];

    [GeneratedRegex(@"^[0-9]{4}/$")]
    private static partial Regex Year();

    [GeneratedRegex(@"^[0-9]{2}/$")]
    private static partial Regex TwoDigits();

    [GeneratedRegex(@"^[0-9]{6}Z/$")]
    private static partial Regex Run();
}

using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Grants.Contracts.Audit;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Platform.Audit;

/// <summary>
/// Writes the evidence export (docs/decisions/0011) into the write-once <c>audit-exports</c> container:
/// the head of every aggregate's audit chain (not its events, whose payloads retention must be able to
/// erase), every row of the budget ledgers, and the SHA-256 of every published protocol and
/// announcement — then a manifest of the three, last. Everything is read page by page and staged as
/// it is read; nothing is committed until all of it is staged, so a failure while reading leaves
/// nothing behind and surfaces as the run's failure. Names never repeat: each export is named by the
/// moment its run began.
/// </summary>
public sealed partial class AuditEvidenceExporter(
    AggregateStore aggregates, AuditExportStore exports, StorageAccount storage,
    IOptions<AuditExportOptions> options, TimeProvider time, ILogger<AuditEvidenceExporter> logger)
{
    private const string JsonLines = "application/x-ndjson";

    /// <summary>The published documents the export vouches for, in this order.</summary>
    private static readonly string[] PublishedContainers = [ContainerNames.Protocols, ContainerNames.Announcements];

    /// <summary>Writes an export unless the latest complete one is from the current period (<see cref="AuditExportOptions.Interval"/>).</summary>
    /// <returns>The new export's manifest; null when none was due.</returns>
    public async Task<AuditExportManifest?> ExportIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var latest = await exports.LatestAsync(cancellationToken);
        if (latest is not null && Period(latest.Manifest.ExportedAt) >= Period(now))
        {
            return null;
        }

        return await ExportAsync(now, cancellationToken);
    }

    /// <summary>Writes the export named for <paramref name="at"/>. Repeating it with the same contents finds it written; other contents under the name are refused.</summary>
    /// <exception cref="EvidenceConflictException">An export under that name holds other contents.</exception>
    public async Task<AuditExportManifest> ExportAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var name = AuditExportStore.NameFor(at);
        var container = await exports.ContainerAsync(cancellationToken);
        using var heads = new StagedBlob(container.GetBlockBlobClient($"{name}/{AuditExportStore.ChainHeadsPart}"));
        using var ledgers = new StagedBlob(container.GetBlockBlobClient($"{name}/{AuditExportStore.LedgersPart}"));
        using var published = new StagedBlob(container.GetBlockBlobClient($"{name}/{AuditExportStore.PublishedPart}"));

        await foreach (var head in aggregates.AuditHeadsAsync(cancellationToken))
        {
            await heads.WriteLineAsync(new ExportedChainHead(head.AggregateId, head.AggregateType, head.Sequence, head.Hash), AuditExportStore.Json, cancellationToken);
        }

        // Every round's ledger is a partition of its own, named for the round: together one range of keys.
        var ledgerTable = await storage.TableAsync(TableNames.Ledgers, cancellationToken);
        var ledgerPrefix = Budget.BudgetLedgerStore.PartitionFor(AggregateStore.IdPrefixOf(Rounds.RoundStore.AggregateType));
        await foreach (var row in ledgerTable.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {ledgerPrefix} and PartitionKey lt {ledgerPrefix + "~"}"), cancellationToken: cancellationToken))
        {
            await ledgers.WriteLineAsync(json => TableRowJson.Write(json, row), cancellationToken);
        }

        foreach (var containerName in PublishedContainers)
        {
            await WritePublishedAsync(published, await storage.ContainerAsync(containerName, cancellationToken), cancellationToken);
        }

        StagedBlob[] parts = [heads, ledgers, published];
        foreach (var part in parts)
        {
            await part.CompleteAsync(cancellationToken);
        }

        foreach (var part in parts)
        {
            await part.CommitAsync(JsonLines, cancellationToken);
        }

        var manifest = new AuditExportManifest(AuditExportManifest.CurrentSchemaVersion, name, at,
            [.. parts.Select(p => new AuditExportPart(p.Name[(name.Length + 1)..], p.Lines, p.Bytes, p.Sha256))]);
        await WriteOnceBlob.CreateAsync(container.GetBlobClient($"{name}/{AuditExportStore.ManifestName}"), BinaryData.FromObjectAsJson(manifest, AuditExportStore.Json), "application/json", cancellationToken);
        LogExported(logger, name, heads.Lines, ledgers.Lines, published.Lines);
        return manifest;
    }

    /// <summary>One line per document, its bytes hashed as they stream in.</summary>
    private static async Task WritePublishedAsync(StagedBlob published, BlobContainerClient container, CancellationToken cancellationToken)
    {
        await foreach (var item in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            var (sha256, length) = await WriteOnceBlob.HashAsync(container.GetBlobClient(item.Name), cancellationToken)
                ?? throw new InvalidOperationException($"{container.Name}/{item.Name} was listed but is gone: published evidence is never deleted.");
            await published.WriteLineAsync(new ExportedDocument(container.Name, item.Name, length, Convert.ToHexStringLower(sha256)), AuditExportStore.Json, cancellationToken);
        }
    }

    /// <summary>Which export period an instant falls in: periods of <see cref="AuditExportOptions.Interval"/> counted from 0001-01-01 UTC, so a day is a UTC day.</summary>
    private long Period(DateTimeOffset instant) => instant.UtcTicks / options.Value.Interval.Ticks;

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported audit evidence {Export}: {ChainHeads} chain heads, {LedgerRows} ledger rows, {PublishedDocuments} published documents")]
    private static partial void LogExported(ILogger logger, string export, long chainHeads, long ledgerRows, long publishedDocuments);
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Storage;
using Grants.Domain.Common;

namespace Grants.Functions.Lottery;

/// <summary>
/// Lottery protocols in Blob Storage: named {round}/{SHA-256 of the bytes}.json, written once, never overwritten. A draw
/// writes its protocol; each later cut-off change writes a <see cref="CutoffDocument"/> that extends it (docs/decisions/0023),
/// and reading a version by its hash gives the protocol as that version leaves it.
/// </summary>
public sealed class ProtocolStore(StorageAccount storage)
{
    private const int ParsedKept = 16;

    /// <summary>
    /// Versions read or written here (at most <see cref="ParsedKept"/>): named by the hash of their bytes and never
    /// overwritten, so a copy never goes stale. One this process wrote is read from its bytes when first asked for, not
    /// while the request that wrote it waits.
    /// </summary>
    private readonly ConcurrentDictionary<string, Lazy<ProtocolVersion>> _parsed = new(StringComparer.Ordinal);

    public static string HashOf(string json) => HashOf(Encoding.UTF8.GetBytes(json));

    public static string HashOf(ReadOnlySpan<byte> utf8) => Sha256Hex.Of(utf8);

    /// <summary>Exactly the form <see cref="HashOf"/> gives: 64 lowercase hex digits, so that a hash can name no other blob.</summary>
    public static bool IsHash(string value) => Sha256Hex.Is(value);

    /// <summary>Writes a draw's protocol.</summary>
    /// <returns>The protocol's hash, under which it is stored.</returns>
    public async Task<string> WriteOnceAsync(string roundId, LotteryProtocol protocol, CancellationToken cancellationToken)
    {
        var utf8 = protocol.ToUtf8Json();
        var hash = await WriteAsync(roundId, utf8, cancellationToken);
        Keep(BlobName(roundId, hash), new Lazy<ProtocolVersion>(() => ProtocolVersion.Of(LotteryProtocol.FromJson(utf8), hash))); // as a reader would see it, whatever the writer held
        return hash;
    }

    /// <summary>
    /// Writes the cut-off document that records <paramref name="moved"/>'s last change: the protocol the round's current
    /// version extends, and every change since it. Its size grows with the changes, not with the pool.
    /// </summary>
    /// <param name="currentHash">The version the change was made on.</param>
    /// <returns>The document's hash, under which it is stored: the round's new current version.</returns>
    public async Task<string> WriteChangeAsync(string roundId, string currentHash, LotteryProtocol moved, CancellationToken cancellationToken)
    {
        var current = await ReadVersionAsync(roundId, currentHash, cancellationToken);
        var document = new CutoffDocument(CutoffDocument.CurrentSchemaVersion, roundId, current.BaseHash, [.. moved.CutoffHistory.Skip(current.BaseChanges)]);
        var utf8 = document.ToUtf8Json();
        var hash = await WriteAsync(roundId, utf8, cancellationToken);
        Keep(BlobName(roundId, hash), new Lazy<ProtocolVersion>(() => current.Extended(CutoffDocument.FromJson(utf8))));
        return hash;
    }

    /// <summary>A version's exact bytes as published: a protocol or a cut-off document; null when there is none under the hash.</summary>
    public async Task<string?> ReadJsonAsync(string roundId, string hash, CancellationToken cancellationToken) =>
        await ReadBytesAsync(roundId, hash, cancellationToken) is { } content ? content.ToString() : null;

    /// <summary>The protocol as the version under <paramref name="hash"/> leaves it: a draw's, or one with its cut-off changes replayed.</summary>
    public async Task<LotteryProtocol> ReadAsync(string roundId, string hash, CancellationToken cancellationToken) =>
        (await ReadVersionAsync(roundId, hash, cancellationToken)).Protocol;

    private async Task<ProtocolVersion> ReadVersionAsync(string roundId, string hash, CancellationToken cancellationToken)
    {
        var name = BlobName(roundId, hash);
        if (_parsed.TryGetValue(name, out var kept))
        {
            return kept.Value;
        }

        var utf8 = (await ReadBytesAsync(roundId, hash, cancellationToken) ?? throw new InvalidOperationException($"Protocol {hash} of round {roundId} is missing.")).ToMemory();
        if (!CutoffDocument.IsOne(utf8.Span))
        {
            return Keep(name, new Lazy<ProtocolVersion>(ProtocolVersion.Of(LotteryProtocol.FromJson(utf8.Span), hash))).Value;
        }

        var document = CutoffDocument.FromJson(utf8.Span);
        var extended = await ReadVersionAsync(roundId, document.Extends, cancellationToken);
        if (extended.BaseHash != document.Extends)
        {
            throw new InvalidDataException($"Cut-off document {hash} of round {roundId} extends another cut-off document ({document.Extends}); it extends a protocol.");
        }

        // Replayed from the newest version of the same protocol kept here whose changes this document repeats: each change
        // walks the whole order, and a document lists every change since the draw.
        var from = _parsed.Values.Where(v => v.IsValueCreated).Select(v => v.Value)
            .Where(v => v.BaseHash == document.Extends && v.Continues(document))
            .MaxBy(v => v.Protocol.CutoffHistory.Count) ?? extended;
        return Keep(name, new Lazy<ProtocolVersion>(from.Extended(document))).Value;
    }

    private async Task<string> WriteAsync(string roundId, byte[] utf8, CancellationToken cancellationToken)
    {
        var hash = HashOf(utf8);
        var container = await storage.ContainerAsync(ContainerNames.Protocols, cancellationToken);
        // A name taken by an earlier attempt holds these very bytes (the name is their hash); WriteOnceBlob checks that it does.
        await WriteOnceBlob.CreateAsync(container.GetBlobClient(BlobName(roundId, hash)), BinaryData.FromBytes(utf8), "application/json", cancellationToken);
        return hash;
    }

    private async Task<BinaryData?> ReadBytesAsync(string roundId, string hash, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerNames.Protocols, cancellationToken);
        try
        {
            return (await container.GetBlobClient(BlobName(roundId, hash)).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Keeps a version read or written here: the next cut-off move reads the version the last one wrote.</summary>
    private Lazy<ProtocolVersion> Keep(string name, Lazy<ProtocolVersion> version)
    {
        if (_parsed.Count >= ParsedKept)
        {
            _parsed.Clear();
        }

        return _parsed.GetOrAdd(name, version);
    }

    private static string BlobName(string roundId, string hash) =>
        IsHash(hash) ? $"{roundId}/{hash}.json" : throw new ArgumentException("A protocol hash is 64 lowercase hex digits.", nameof(hash));

    /// <summary>
    /// A version as read: the protocol it leaves, the protocol its cut-off changes extend (its own hash when it is a
    /// protocol) and how many changes that protocol already held.
    /// </summary>
    private sealed record ProtocolVersion(LotteryProtocol Protocol, string BaseHash, int BaseChanges)
    {
        public static ProtocolVersion Of(LotteryProtocol protocol, string hash) => new(protocol, hash, protocol.CutoffHistory.Count);

        /// <summary>Whether the document lists this version's changes since the protocol it extends first, and more.</summary>
        public bool Continues(CutoffDocument document)
        {
            var mine = Protocol.CutoffHistory.Skip(BaseChanges).ToList();
            return mine.Count < document.CutoffHistory.Count
                && mine.Zip(document.CutoffHistory).All(pair => JsonSerializer.SerializeToUtf8Bytes(pair.First, PublishedJson.Options).AsSpan()
                    .SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(pair.Second, PublishedJson.Options)));
        }

        /// <summary>This version with the document's changes that follow it replayed.</summary>
        public ProtocolVersion Extended(CutoffDocument document) =>
            this with { Protocol = document.Apply(Protocol, Protocol.CutoffHistory.Count - BaseChanges) };
    }
}

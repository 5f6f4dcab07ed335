using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Lottery;

/// <summary>Lottery protocols in Blob Storage: named {round}/{SHA-256 of the bytes}.json, written once, never overwritten.</summary>
public sealed class ProtocolStore(StorageAccount storage)
{
    private const int ParsedKept = 16;

    /// <summary>
    /// Parsed protocols kept in this process (at most <see cref="ParsedKept"/>): named by the hash of their bytes and never
    /// overwritten, so a copy never goes stale. One this process wrote is parsed from its bytes when first read, not while
    /// the request that wrote it waits.
    /// </summary>
    private readonly ConcurrentDictionary<string, Lazy<LotteryProtocol>> _parsed = new(StringComparer.Ordinal);

    public static string HashOf(string json) => HashOf(Encoding.UTF8.GetBytes(json));

    public static string HashOf(ReadOnlySpan<byte> utf8) => Convert.ToHexStringLower(SHA256.HashData(utf8));

    /// <summary>Exactly the form <see cref="HashOf"/> gives: 64 lowercase hex digits, so that a hash can name no other blob.</summary>
    public static bool IsHash(string value) => value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <returns>The protocol's hash, under which it is stored.</returns>
    public async Task<string> WriteOnceAsync(string roundId, LotteryProtocol protocol, CancellationToken cancellationToken)
    {
        var utf8 = protocol.ToUtf8Json();
        var hash = HashOf(utf8);
        var container = await storage.ContainerAsync(ContainerNames.Protocols, cancellationToken);
        // A name taken by an earlier attempt holds these very bytes (the name is their hash); WriteOnceBlob checks that it does.
        await WriteOnceBlob.CreateAsync(container.GetBlobClient(BlobName(roundId, hash)), BinaryData.FromBytes(utf8), "application/json", cancellationToken);
        Keep(BlobName(roundId, hash), new Lazy<LotteryProtocol>(() => LotteryProtocol.FromJson(utf8))); // as a reader would see it, whatever the writer held
        return hash;
    }

    public async Task<string?> ReadJsonAsync(string roundId, string hash, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerNames.Protocols, cancellationToken);
        try
        {
            return (await container.GetBlobClient(BlobName(roundId, hash)).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<LotteryProtocol> ReadAsync(string roundId, string hash, CancellationToken cancellationToken)
    {
        var name = BlobName(roundId, hash);
        if (_parsed.TryGetValue(name, out var kept))
        {
            return kept.Value;
        }

        var json = await ReadJsonAsync(roundId, hash, cancellationToken) ?? throw new InvalidOperationException($"Protocol {hash} of round {roundId} is missing.");
        return Keep(name, new Lazy<LotteryProtocol>(LotteryProtocol.FromJson(json))).Value;
    }

    /// <summary>Keeps a protocol read or written here: the next cut-off move reads the version the last one wrote.</summary>
    private Lazy<LotteryProtocol> Keep(string name, Lazy<LotteryProtocol> protocol)
    {
        if (_parsed.Count >= ParsedKept)
        {
            _parsed.Clear();
        }

        return _parsed.GetOrAdd(name, protocol);
    }

    private static string BlobName(string roundId, string hash) =>
        IsHash(hash) ? $"{roundId}/{hash}.json" : throw new ArgumentException("A protocol hash is 64 lowercase hex digits.", nameof(hash));
}

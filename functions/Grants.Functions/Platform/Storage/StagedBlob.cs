using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// A file of JSON lines written to Blob Storage as it is produced, for evidence too large to hold in
/// memory: lines fill a block that is staged when full, hashed and counted on the way. Nothing is
/// visible until <see cref="CommitAsync"/> creates the blob from the staged blocks, write-once
/// (<see cref="WriteOnceBlob"/>); blocks never committed — a run that failed — are discarded by the
/// service after a week.
/// </summary>
public sealed class StagedBlob(BlockBlobClient blob, int blockBytes = StagedBlob.DefaultBlockBytes) : IDisposable
{
    public const int DefaultBlockBytes = 4 * 1024 * 1024;

    private static readonly JsonWriterOptions LineOptions = new() { Indented = false };

    private readonly MemoryStream _block = new();
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<string> _blockIds = [];

    // Block ids of its own: a writer that somehow staged under the same name never mixes its blocks into this blob.
    private readonly string _blockPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private byte[]? _hash;

    public string Name => blob.Name;

    public long Lines { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Lowercase hex SHA-256 of every byte written; known once <see cref="CompleteAsync"/> has run.</summary>
    public string Sha256 => Convert.ToHexStringLower(_hash ?? throw new InvalidOperationException("The blob is not complete yet."));

    /// <summary>Appends one line: what <paramref name="write"/> writes as one JSON value.</summary>
    public async Task WriteLineAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        if (_hash is not null)
        {
            throw new InvalidOperationException("The blob is complete; nothing more can be written to it.");
        }

        using (var json = new Utf8JsonWriter(_block, LineOptions))
        {
            write(json);
        }

        _block.WriteByte((byte)'\n');
        Lines++;
        if (_block.Length >= blockBytes)
        {
            await StageAsync(cancellationToken);
        }
    }

    /// <summary>Appends one line: <paramref name="value"/> as JSON.</summary>
    public Task WriteLineAsync<T>(T value, JsonSerializerOptions options, CancellationToken cancellationToken) =>
        WriteLineAsync(json => JsonSerializer.Serialize(json, value, options), cancellationToken);

    /// <summary>Stages what is left; the hash and counts are final after it.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await StageAsync(cancellationToken);
        _hash ??= _sha256.GetHashAndReset();
    }

    /// <summary>Creates the blob from the staged blocks, write-once.</summary>
    /// <returns>False when an earlier attempt of this commit had created it already.</returns>
    public Task<bool> CommitAsync(string contentType, CancellationToken cancellationToken) =>
        WriteOnceBlob.CommitAsync(blob, _blockIds, _hash ?? throw new InvalidOperationException("Complete the blob before committing it."), contentType, cancellationToken);

    public void Dispose()
    {
        _block.Dispose();
        _sha256.Dispose();
    }

    private async Task StageAsync(CancellationToken cancellationToken)
    {
        if (_block.Length == 0)
        {
            return;
        }

        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_blockPrefix}-{_blockIds.Count:D6}"));
        var bytes = _block.GetBuffer().AsMemory(0, (int)_block.Length);
        using (var content = new MemoryStream(_block.GetBuffer(), 0, (int)_block.Length, writable: false))
        {
            await blob.StageBlockAsync(id, content, cancellationToken: cancellationToken);
        }

        _sha256.AppendData(bytes.Span);
        Bytes += bytes.Length;
        _blockIds.Add(id);
        _block.SetLength(0);
    }
}

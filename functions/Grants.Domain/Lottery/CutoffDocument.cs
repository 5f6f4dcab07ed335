using System.Text.Json;
using Grants.Domain.Common;

namespace Grants.Domain.Lottery;

/// <summary>
/// The cut-off changes after a published draw, as a document of their own (docs/decisions/0023): the protocol they extend,
/// named by its hash, and every change made since it, in order. The protocol as the changes leave it is that protocol with
/// them replayed (<see cref="LotteryProtocol.Extended"/>), so a change writes what it decided and whom it selected, not the
/// whole order again. Schema: contracts/schemas/lottery-cutoffs.schema.json.
/// </summary>
/// <param name="Extends">The hash of the protocol the changes extend: the draw's own, written before any change.</param>
public sealed record CutoffDocument(int SchemaVersion, string RoundId, string Extends, IReadOnlyList<CutoffChange> CutoffHistory)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>The top-level name that only a cut-off document has: a protocol extends nothing.</summary>
    private const string ExtendsName = "extends";

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, PublishedJson.Options);

    /// <summary>Reads a cut-off document strictly (see <see cref="PublishedJson"/>); throws <see cref="JsonException"/> otherwise.</summary>
    public static CutoffDocument FromJson(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<CutoffDocument>(utf8, PublishedJson.Options) ?? throw new JsonException("The cut-off document is null.");

    /// <inheritdoc cref="FromJson(ReadOnlySpan{byte})"/>
    public static CutoffDocument FromJson(string json) =>
        JsonSerializer.Deserialize<CutoffDocument>(json, PublishedJson.Options) ?? throw new JsonException("The cut-off document is null.");

    /// <summary>
    /// Whether a published lottery document is a cut-off document rather than a protocol: its top level names the protocol
    /// it extends. Only the top level is looked at, without reading the values; which of the two it is, is then read strictly.
    /// </summary>
    public static bool IsOne(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(ExtendsName))
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: neither document; reading it as a protocol says what is wrong.
        }

        return false;
    }

    /// <summary>What makes the document unreadable beyond its schema: another schema version, a hash not of the form a protocol's has, or no change.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (SchemaVersion != CurrentSchemaVersion)
        {
            problems.Add($"schemaVersion: {SchemaVersion} is not a version of the cut-off document (1)");
        }

        if (!Sha256Hex.Is(Extends))
        {
            problems.Add("extends: must be a protocol's hash, 64 lowercase hex digits");
        }

        if (CutoffHistory.Count == 0)
        {
            problems.Add("cutoffHistory: a cut-off document records at least one change");
        }

        return problems;
    }

    /// <summary>
    /// The protocol as these changes leave it: <paramref name="extended"/>, the protocol named by <see cref="Extends"/>, with
    /// every change replayed on it.
    /// </summary>
    /// <exception cref="InvalidDataException">The document is unreadable, is for another round, or a change does not replay.</exception>
    public LotteryProtocol Apply(LotteryProtocol extended) => Apply(extended, 0);

    /// <summary>
    /// The protocol as these changes leave it, from the bytes of the protocol it extends as a verifier holds them (a file, a
    /// stored blob named <paramref name="source"/>): they must hash to <see cref="Extends"/>, and every change must replay on
    /// the protocol <paramref name="read"/> makes of them. Otherwise the first mismatch, named as the verifier names one.
    /// What <paramref name="read"/> throws for bytes it cannot read is left to the caller, who knows whether that is a file
    /// to refuse or a stored document that does not verify.
    /// </summary>
    public ReplayedProtocol ReplayOn(ReadOnlySpan<byte> extended, string source, Func<string, LotteryProtocol> read)
    {
        if (Sha256Hex.Of(extended) is var hash && hash != Extends)
        {
            return new(null, $"extends: the cut-off document extends the protocol {Extends}; {source} is {hash}");
        }

        var protocol = read(System.Text.Encoding.UTF8.GetString(extended));
        try
        {
            return new(Apply(protocol), null);
        }
        catch (InvalidDataException e)
        {
            return new(null, e.Message);
        }
    }

    /// <summary>
    /// The protocol as these changes leave it, replayed from <paramref name="from"/>: the protocol this document extends with
    /// its first <paramref name="applied"/> changes replayed already (an earlier version of the same history).
    /// </summary>
    /// <inheritdoc cref="Apply(LotteryProtocol)" path="/exception"/>
    public LotteryProtocol Apply(LotteryProtocol from, int applied)
    {
        if (Problems() is [var first, ..])
        {
            throw new InvalidDataException(first);
        }

        if (from.RoundId != RoundId)
        {
            throw new InvalidDataException($"roundId: the cut-off document is for {RoundId}, the protocol it extends for {from.RoundId}");
        }

        return from.Extended([.. CutoffHistory.Skip(applied)]);
    }
}

/// <summary>A cut-off document replayed on the protocol it extends: the protocol as its changes leave it, or why they do not replay.</summary>
public sealed record ReplayedProtocol(LotteryProtocol? Protocol, string? Mismatch);

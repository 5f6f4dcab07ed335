using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grants.Domain.Auditing;

/// <summary>One event in an aggregate's audit trail, linked to the one before it by hash.</summary>
public sealed record AuditEvent(
    string AggregateId,
    long Sequence,
    string Type,
    string Actor,
    DateTimeOffset OccurredAt,
    string Payload,
    string PreviousHash,
    string Hash)
{
    /// <summary>SHA-256 of the payload as written: what the chain links, so a payload can be erased later and the chain still verified.</summary>
    public string PayloadHash { get; init; } = AuditChain.HashPayload(Payload);

    /// <summary>Written before payloads were linked by hash (no payload hash stored): its hash covers the payload itself, which therefore cannot be erased.</summary>
    public bool IsLegacy => PayloadHash.Length == 0;
}

/// <summary>The outcome of recomputing a chain: intact, or the first event whose link is broken and why.</summary>
public sealed record ChainVerification(bool IsIntact, int EventCount, long? FirstBrokenSequence, string? Problem);

/// <summary>
/// Where a chain stood according to a record kept outside its table (an evidence export): the trail
/// must still lead through it, so a history rewritten with fresh hashes since is caught.
/// </summary>
/// <param name="RecordedBy">Names the record in a problem, e.g. "the export of 2026-12-06 00:15:00Z".</param>
public sealed record RecordedHead(long Sequence, string Hash, string RecordedBy);

/// <summary>
/// The hash chain of docs/design.md §2.6. Each event's hash is SHA-256 over a JSON array of its fields —
/// the payload by its own SHA-256 — and the previous event's hash, so altering, removing or
/// reordering any event breaks every later link. JSON encoding makes the field boundaries
/// unambiguous whatever the payload holds. Linking the payload by its hash lets the retention job
/// erase personal data from old payloads (replacing them with <see cref="ErasedPayload"/>) while the
/// chain stays verifiable; every erasure is itself a later event (<see cref="ErasureEventType"/>)
/// naming the events it erased, and an erased payload that no such event names breaks the chain.
/// </summary>
public static class AuditChain
{
    public static string Genesis { get; } = new('0', 64);

    /// <summary>What an erased payload reads afterwards.</summary>
    public const string ErasedPayload = "{\"erased\":true}";

    /// <summary>The event that records an erasure; its payload lists the erased sequences as <c>{"erasedSequences":[…]}</c>.</summary>
    public const string ErasureEventType = "PersonalDataErased";

    /// <summary>The property a payload's salt is written as, first in the payload.</summary>
    public const string SaltProperty = "salt";

    /// <summary>
    /// The payload with <paramref name="salt"/> (random, from the caller) as its first property. The hash an
    /// event is linked by stays when its payload is erased; without a salt anyone who guesses what an erased
    /// payload held (an address, a name) could confirm the guess against it. The salt is erased with the
    /// payload, so afterwards the hash confirms nothing. Payloads that are not JSON objects with properties
    /// (<c>null</c>, <c>{}</c>) hold nothing to guess and are returned as they are.
    /// </summary>
    public static string Salted(string payload, ReadOnlySpan<byte> salt) =>
        payload.Length > 2 && payload[0] == '{'
            ? $"{{\"{SaltProperty}\":\"{Convert.ToHexStringLower(salt)}\",{payload[1..]}"
            : payload;

    public static string HashPayload(string payload) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));

    public static AuditEvent Append(string aggregateId, long previousSequence, string previousHash, string type, string actor, DateTimeOffset occurredAt, string payload)
    {
        var sequence = previousSequence + 1;
        var hash = ComputeHash(aggregateId, sequence, type, actor, occurredAt, payload, previousHash);
        return new AuditEvent(aggregateId, sequence, type, actor, occurredAt, payload, previousHash, hash);
    }

    public static string ComputeHash(string aggregateId, long sequence, string type, string actor, DateTimeOffset occurredAt, string payload, string previousHash) =>
        ComputeHashOfPayloadHash(aggregateId, sequence, type, actor, occurredAt, HashPayload(payload), previousHash);

    public static string ComputeHashOfPayloadHash(string aggregateId, long sequence, string type, string actor, DateTimeOffset occurredAt, string payloadHash, string previousHash)
    {
        var canonical = JsonSerializer.Serialize(new object[]
        {
            aggregateId, sequence, type, actor, occurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture), payloadHash, previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The payload of the erasure event for these sequences.</summary>
    public static string ErasurePayload(IEnumerable<long> sequences) => JsonSerializer.Serialize(new { erasedSequences = sequences.Order().ToArray() });

    /// <param name="events">The trail as stored, in sequence order.</param>
    /// <param name="headSequence">The sequence the aggregate's own state says its last event has: catches a truncated tail.</param>
    /// <param name="headHash">The hash the aggregate's own state says its last event has.</param>
    public static ChainVerification Verify(IReadOnlyList<AuditEvent> events, long headSequence, string headHash)
    {
        var declaredErased = events.Where(e => e.Type == ErasureEventType && e.Payload != ErasedPayload).SelectMany(ErasedSequences).ToHashSet();
        var previousHash = Genesis;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var expectedSequence = i + 1;
            if (e.Sequence != expectedSequence)
            {
                return Broken(events.Count, expectedSequence, $"event {expectedSequence} is missing (found {e.Sequence} in its place)");
            }

            if (e.PreviousHash != previousHash)
            {
                return Broken(events.Count, e.Sequence, "its previous-hash does not match the event before it");
            }

            var erased = e.Payload == ErasedPayload;
            if (erased && (e.IsLegacy || !declaredErased.Contains(e.Sequence)))
            {
                return Broken(events.Count, e.Sequence, "its payload was erased, but no erasure event records it");
            }

            // Events written before payloads were linked by hash carry none; their hash covers the payload itself.
            var linked = e.IsLegacy ? e.Payload : e.PayloadHash;
            if ((!erased && !e.IsLegacy && HashPayload(e.Payload) != e.PayloadHash)
                || ComputeHashOfPayloadHash(e.AggregateId, e.Sequence, e.Type, e.Actor, e.OccurredAt, linked, e.PreviousHash) != e.Hash)
            {
                return Broken(events.Count, e.Sequence, "its content does not match its hash");
            }

            previousHash = e.Hash;
        }

        if (events.Count != headSequence)
        {
            return Broken(events.Count, events.Count + 1, $"the record counts {headSequence} events but its trail holds {events.Count}");
        }

        if (previousHash != headHash)
        {
            return Broken(events.Count, events.Count, "the last event's hash is not the one the aggregate records");
        }

        return new ChainVerification(true, events.Count, null, null);
    }

    /// <summary>
    /// As <see cref="Verify(IReadOnlyList{AuditEvent}, long, string)"/>, and the trail must lead through
    /// <paramref name="recorded"/>: a chain recomputed from the table alone cannot tell a history rewritten
    /// with fresh hashes (and a head to match) from the real one, but the hash an outside record kept for
    /// an event covers every event up to it. Erasing payloads changes no hash, so erasure passes.
    /// </summary>
    public static ChainVerification Verify(IReadOnlyList<AuditEvent> events, long headSequence, string headHash, RecordedHead? recorded)
    {
        var chain = Verify(events, headSequence, headHash);
        if (!chain.IsIntact || recorded is null || recorded.Sequence < 1)
        {
            return chain;
        }

        if (events.Count < recorded.Sequence)
        {
            return Broken(events.Count, events.Count + 1, $"{recorded.RecordedBy} recorded {recorded.Sequence} events, but the trail holds {events.Count}");
        }

        return events[(int)recorded.Sequence - 1].Hash == recorded.Hash
            ? chain
            : Broken(events.Count, recorded.Sequence, $"event {recorded.Sequence} is not the one {recorded.RecordedBy} recorded: the history up to it was rewritten");
    }

    /// <summary>The sequences an erasure event names.</summary>
    public static IEnumerable<long> ErasedSequences(AuditEvent erasure)
    {
        try
        {
            using var document = JsonDocument.Parse(erasure.Payload);
            return document.RootElement.TryGetProperty("erasedSequences", out var list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Number).Select(n => n.GetInt64())]
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static ChainVerification Broken(int count, long sequence, string problem) => new(false, count, sequence, problem);
}

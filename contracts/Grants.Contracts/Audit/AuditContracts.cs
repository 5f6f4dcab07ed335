namespace Grants.Contracts.Audit;

/// <param name="Payload">The event's data as JSON, with a random <c>salt</c> first, erased with the rest, so the payload hash of an erased event confirms no guess of what it held.</param>
/// <param name="PayloadHash">SHA-256 of the payload as written; the chain links it, so an event whose payload the retention job erased still verifies.</param>
public sealed record AuditEventResponse(long Sequence, string Type, string Actor, DateTimeOffset OccurredAt, string Payload, string PreviousHash, string Hash, string PayloadHash = "");

public sealed record AuditTrailResponse(string AggregateId, IReadOnlyList<AuditEventResponse> Events);

/// <summary>Result of recomputing an aggregate's hash chain; names the first broken link.</summary>
public sealed record AuditVerificationResponse(string AggregateId, bool Intact, int EventCount, long? FirstBrokenSequence, string? Problem);

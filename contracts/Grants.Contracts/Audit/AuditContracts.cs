namespace Grants.Contracts.Audit;

public sealed record AuditEventResponse(long Sequence, string Type, string Actor, DateTimeOffset OccurredAt, string Payload, string PreviousHash, string Hash);

public sealed record AuditTrailResponse(string AggregateId, IReadOnlyList<AuditEventResponse> Events);

/// <summary>Result of recomputing an aggregate's hash chain; names the first broken link.</summary>
public sealed record AuditVerificationResponse(string AggregateId, bool Intact, int EventCount, long? FirstBrokenSequence, string? Problem);

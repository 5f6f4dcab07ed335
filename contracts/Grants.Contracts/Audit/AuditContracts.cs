namespace Grants.Contracts.Audit;

/// <param name="Payload">The event's data as JSON, with a random <c>salt</c> first, erased with the rest, so the payload hash of an erased event confirms no guess of what it held.</param>
/// <param name="PayloadHash">SHA-256 of the payload as written; the chain links it, so an event whose payload the retention job erased still verifies.</param>
public sealed record AuditEventResponse(long Sequence, string Type, string Actor, DateTimeOffset OccurredAt, string Payload, string PreviousHash, string Hash, string PayloadHash = "");

public sealed record AuditTrailResponse(string AggregateId, IReadOnlyList<AuditEventResponse> Events);

/// <summary>Result of recomputing an aggregate's hash chain; names the first broken link.</summary>
/// <param name="CheckedAgainstExport">The evidence export whose recorded head the trail was also checked to lead through (its name in <c>audit-exports</c>); null when no export has recorded this trail yet.</param>
/// <param name="ExportedSequence">The sequence of the last event that export recorded.</param>
public sealed record AuditVerificationResponse(string AggregateId, bool Intact, int EventCount, long? FirstBrokenSequence, string? Problem, string? CheckedAgainstExport = null, long? ExportedSequence = null);

/// <summary>One line of an evidence export's <c>chain-heads.jsonl</c>: where an aggregate's audit chain stood when the export was taken.</summary>
/// <param name="Sequence">The sequence of its last audit event.</param>
/// <param name="Hash">That event's hash, which covers every event before it.</param>
public sealed record ExportedChainHead(string AggregateId, string AggregateType, long Sequence, string Hash);

/// <summary>One line of an evidence export's <c>published.jsonl</c>: a published document as it stood.</summary>
/// <param name="Container"><c>protocols</c> or <c>announcements</c>.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the document's bytes.</param>
public sealed record ExportedDocument(string Container, string Name, long Bytes, string Sha256);

/// <summary>One file of an evidence export, as the manifest records it.</summary>
/// <param name="Lines">JSON lines in the file: one per chain head, ledger row or published document.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes.</param>
public sealed record AuditExportPart(string Name, long Lines, long Bytes, string Sha256);

/// <summary>
/// An evidence export's <c>manifest.json</c>, written last: an export without one is incomplete. Its
/// parts are <c>chain-heads.jsonl</c>, <c>ledgers.jsonl</c> and <c>published.jsonl</c> under the same name.
/// </summary>
/// <param name="Export">The export's name, <c>{yyyy}/{MM}/{dd}/{HHmmss}Z</c> in UTC: the folder of its files in <c>audit-exports</c>.</param>
/// <param name="ExportedAt">When the export began; every part reflects storage at or after that moment.</param>
public sealed record AuditExportManifest(int SchemaVersion, string Export, DateTimeOffset ExportedAt, IReadOnlyList<AuditExportPart> Parts)
{
    public const int CurrentSchemaVersion = 1;
}

/// <summary>The latest complete evidence export: where it is, what it holds, and the manifest's own SHA-256 to note down outside the system.</summary>
public sealed record AuditExportResponse(string Container, string Export, DateTimeOffset ExportedAt, string ManifestSha256, IReadOnlyList<AuditExportPart> Parts);

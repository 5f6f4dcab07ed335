using System.Globalization;
using Grants.Contracts.Audit;
using Grants.Domain.Auditing;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Platform.Audit;

/// <summary>
/// Recomputes an aggregate's hash chain (docs/design.md §2.6) and checks that it still leads through the head
/// the latest evidence export recorded for it: a history rewritten in the table since, hashes and all,
/// or removed from it, then fails.
/// </summary>
public sealed class AuditTrailVerification(AggregateStore store, AuditExportStore exports)
{
    /// <returns>Null when there is no trail and no export ever recorded one.</returns>
    public async Task<AuditVerificationResponse?> VerifyAsync(string aggregateId, CancellationToken cancellationToken)
    {
        // The export first: whatever the table holds afterwards must have grown from what it recorded.
        var export = await exports.LatestAsync(cancellationToken);
        var exported = export is null ? null : await exports.FindHeadAsync(export, aggregateId, cancellationToken);
        var head = await store.FindAsync<object>(aggregateId, cancellationToken);
        if (head is null && exported is null)
        {
            return null;
        }

        var events = head is null ? [] : await store.AuditTrailAsync(aggregateId, cancellationToken);
        var recorded = exported is null ? null : new RecordedHead(exported.Sequence, exported.Hash,
            string.Create(CultureInfo.InvariantCulture, $"the evidence export of {export!.Manifest.ExportedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"));
        var result = AuditChain.Verify(events, head?.AuditSequence ?? 0, head?.AuditHead ?? AuditChain.Genesis, recorded);
        return new AuditVerificationResponse(aggregateId, result.IsIntact, result.EventCount, result.FirstBrokenSequence, result.Problem,
            exported is null ? null : export!.Manifest.Export, exported?.Sequence);
    }
}

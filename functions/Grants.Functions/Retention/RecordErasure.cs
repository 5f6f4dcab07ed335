using Grants.Domain.Auditing;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Retention;

/// <summary>
/// How one record loses its personal data while its audit chain keeps verifying (docs/decisions/0008).
/// First one commit: the erased state, and an erasure event naming the audit events whose payloads
/// are to be emptied. Then those payloads and the record's delivered mail are emptied. A record whose
/// clean-up reaches beyond itself (a file, an organisation) is marked pending by that commit and marked
/// completed by a last one, so that a run that stopped in between is finished by the next. Every step
/// can be repeated.
/// </summary>
public sealed class RecordErasure(AggregateStore store)
{
    public const string CompletedEventType = "PersonalDataErasureCompleted";
    public const string Pending = "pending";
    public const string Completed = "completed";

    /// <summary>Written as the state row's column ix_Retention, which the run queries.</summary>
    public const string Index = "Retention";

    private static readonly IReadOnlyDictionary<string, string> NoIndex = new Dictionary<string, string>();

    /// <param name="tracked">Mark the record pending until <see cref="CompleteAsync"/>.</param>
    public Task<StoredAggregate<TState>> EraseAsync<TState>(StoredAggregate<TState> stored, TState erased, bool tracked, CancellationToken cancellationToken) =>
        EraseAsync(stored, erased, tracked, _ => true, cancellationToken);

    /// <param name="tracked">Mark the record pending until <see cref="CompleteAsync"/>.</param>
    /// <param name="personal">Which of the record's audit events carry personal data; only their payloads are emptied.</param>
    public async Task<StoredAggregate<TState>> EraseAsync<TState>(StoredAggregate<TState> stored, TState erased, bool tracked, Func<AuditEvent, bool> personal, CancellationToken cancellationToken)
    {
        var erasable = (await store.AuditTrailAsync(stored.Id, cancellationToken))
            .Where(e => !e.IsLegacy && e.Type != AuditChain.ErasureEventType && personal(e))
            .Select(e => e.Sequence)
            .ToArray();
        return await store.UpdateAsync(stored, stored.Status, erased, RetentionSweep.Actor,
            Change.Of(new PendingAuditEvent(AuditChain.ErasureEventType, new { erasedSequences = erasable })), tracked ? Marked(Pending) : NoIndex, cancellationToken);
    }

    /// <summary>Empties every payload the record's erasure events name, and the text and addresses of its delivered mail.</summary>
    public async Task EmptyPayloadsAsync(string id, CancellationToken cancellationToken)
    {
        var trail = await store.AuditTrailAsync(id, cancellationToken);
        await store.EraseHistoryAsync(id, [.. trail.Where(e => e.Type == AuditChain.ErasureEventType).SelectMany(AuditChain.ErasedSequences)], cancellationToken);
    }

    /// <summary>Records that everything the erasure reaches is done, with a summary of it if there is one.</summary>
    public Task<StoredAggregate<TState>> CompleteAsync<TState>(StoredAggregate<TState> erased, object? summary, CancellationToken cancellationToken) =>
        store.UpdateAsync(erased, erased.Status, erased.State, RetentionSweep.Actor, Change.Of(new PendingAuditEvent(CompletedEventType, summary)), Marked(Completed), cancellationToken);

    private static Dictionary<string, string> Marked(string state) => new() { [Index] = state };
}

using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Rounds;

/// <summary>Loads rounds, and finds them by status and scheme.</summary>
public sealed class RoundStore(AggregateStore store, RecentAggregates recent) : IAggregates<RoundData>
{
    public const string AggregateType = "round";

    public string Type => AggregateType;

    public string NotFoundDetail(string id) => $"There is no round {id}.";

    public static string NewId() => $"round-{Guid.NewGuid():N}"[..18];

    public static string IdFor(string operationId) => $"round-{operationId[..12]}";

    public Task<StoredAggregate<RoundData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("round-", StringComparison.Ordinal) ? store.FindAsync<RoundData>(id, cancellationToken) : Task.FromResult<StoredAggregate<RoundData>?>(null);

    /// <summary>As <see cref="FindAsync"/>, possibly a moment old (<see cref="RecentAggregates"/>): for a courtesy check that no invariant rests on.</summary>
    public Task<StoredAggregate<RoundData>?> FindRecentAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("round-", StringComparison.Ordinal) ? recent.FindAsync<RoundData>(id, cancellationToken) : Task.FromResult<StoredAggregate<RoundData>?>(null);

    /// <summary>The open rounds, for the closing timer: a watched status (<see cref="Memberships.WatchedStatuses"/>), read without touching any other round's rows.</summary>
    public Task<IReadOnlyList<StoredAggregate<RoundData>>> OpenAsync(CancellationToken cancellationToken) =>
        store.InWatchedStatusAsync<RoundData>(AggregateType, nameof(RoundStatus.Open), cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<RoundData>>> OfSchemeAsync(string schemeId, CancellationToken cancellationToken) =>
        store.MembersAsync<RoundData>(AggregateType, "SchemeId", schemeId, cancellationToken);

    public Task<StoredAggregate<RoundData>> SaveAsync(StoredAggregate<RoundData> current, Round round, string actor, PendingAuditEvent auditEvent, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, round.Data.Status.ToString(), round.Data, actor, Change.Of(auditEvent), cancellationToken);

    /// <summary>
    /// For system work on a round (background operations recording that they finished): reload and retry when staff
    /// changed the round meanwhile; skip it when <paramref name="stillApplies"/> says the work is done.
    /// </summary>
    public async Task UpdateWithRetryAsync(string id, Func<Round, bool> stillApplies, Func<Round, PendingAuditEvent> act, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; await FindAsync(id, cancellationToken) is { } stored; attempt++)
        {
            var round = new Round(stored.State);
            if (!stillApplies(round))
            {
                return;
            }

            try
            {
                await SaveAsync(stored, round, actor, act(round), cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
                // Changed between our read and write: read again and reconsider.
            }
        }
    }

    /// <summary>The failure of a use case that names a round there is not.</summary>
    public static Failure NotFound(string id) => Failure.NotFound($"There is no round {id}.");

}

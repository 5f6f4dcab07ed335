using Grants.Domain.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Assessments;

/// <summary>Loads committees: one per round, under an id derived from the round's.</summary>
public sealed class CommitteeStore(AggregateStore store) : IAggregates<CommitteeData>
{
    public const string AggregateType = "committee";

    /// <summary>The committee's audit event of a declared conflict; its payload holds the member's note.</summary>
    public const string ConflictDeclaredEvent = "ConflictDeclared";

    /// <summary>A committee has one status: it is constituted, and may be changed.</summary>
    public const string Constituted = "Constituted";

    private const string Prefix = "committee-";

    public string Type => AggregateType;

    public static string IdFor(string roundId) => $"{Prefix}{roundId}";

    public Task<StoredAggregate<CommitteeData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith(Prefix, StringComparison.Ordinal) ? store.FindAsync<CommitteeData>(id, cancellationToken) : Task.FromResult<StoredAggregate<CommitteeData>?>(null);

    public Task<StoredAggregate<CommitteeData>?> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.FindAsync<CommitteeData>(IdFor(roundId), cancellationToken);

    public string NotFoundDetail(string id) => NoCommitteeDetail(id.StartsWith(Prefix, StringComparison.Ordinal) ? id[Prefix.Length..] : id);

    /// <summary>The failure of a use case on the committee of a round that has none yet.</summary>
    public static Failure NoCommittee(string roundId) => Failure.NotFound(NoCommitteeDetail(roundId));

    public static Commit<CommitteeData> Commit(CommitteeData committee, PendingAuditEvent auditEvent) => new(committee, Constituted, Change.Of(auditEvent));

    private static string NoCommitteeDetail(string roundId) => $"Round {roundId} has no committee yet.";
}

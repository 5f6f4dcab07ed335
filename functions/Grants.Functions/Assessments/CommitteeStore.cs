using Grants.Domain.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Assessments;

/// <summary>Loads committees: one per round, under an id derived from the round's.</summary>
public sealed class CommitteeStore(AggregateStore store) : IAggregates<CommitteeData>, IIndexRepair
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

    /// <summary>
    /// Lists the committee under each of its members before it is constituted or changed (docs/decisions/0018), so that a
    /// member's committees are one partition read. A member taken off stays listed: the work assigned to them while they
    /// sat on it is theirs to see until it is reassigned.
    /// </summary>
    public Task SeatAsync(string committeeId, IEnumerable<string> members, CancellationToken cancellationToken) =>
        Task.WhenAll(members.Distinct(StringComparer.Ordinal).Select(member => store.ListUnderAsync(MemberPartition(member), committeeId, cancellationToken)));

    public string Indexes => "the committees each member sits on";

    /// <summary>
    /// Lists every committee under each of its members again. Only its present members: one taken off before their
    /// listing was lost is not named by the committee any more, and sees the work assigned to them once it is reassigned.
    /// </summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var committee in await store.ListAsync<CommitteeData>(AggregateType, cancellationToken))
        {
            foreach (var member in committee.State.Members.Distinct(StringComparer.Ordinal))
            {
                if (await store.ListUnderAsync(MemberPartition(member), committee.Id, cancellationToken))
                {
                    written++;
                }
            }
        }

        return written;
    }

    /// <summary>The committees <paramref name="member"/> sits or sat on; one listed by a change that did not happen is not there, or does not hold their work.</summary>
    public Task<IReadOnlyList<StoredAggregate<CommitteeData>>> OfMemberAsync(string member, CancellationToken cancellationToken) =>
        store.ListedUnderAsync<CommitteeData>(MemberPartition(member), committee => committee.Type == AggregateType, cancellationToken);

    public string NotFoundDetail(string id) => NoCommitteeDetail(id.StartsWith(Prefix, StringComparison.Ordinal) ? id[Prefix.Length..] : id);

    /// <summary>The failure of a use case on the committee of a round that has none yet.</summary>
    public static Failure NoCommittee(string roundId) => Failure.NotFound(NoCommitteeDetail(roundId));

    public static Commit<CommitteeData> Commit(CommitteeData committee, PendingAuditEvent auditEvent) => new(committee, Constituted, Change.Of(auditEvent));

    private static string NoCommitteeDetail(string roundId) => $"Round {roundId} has no committee yet.";

    /// <summary>A member by the hash of their token subject: a subject may hold characters a partition key may not.</summary>
    private static string MemberPartition(string member) =>
        Memberships.Partition(AggregateType, "Member", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(member))));
}

using Grants.Domain.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Assessments;

/// <summary>Loads assessments: one per application the committee assesses, queryable by round.</summary>
public sealed class AssessmentStore(AggregateStore store) : IAggregates<AssessmentData>
{
    public const string AggregateType = "assessment";

    public string Type => AggregateType;

    public Task<StoredAggregate<AssessmentData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("assessment-", StringComparison.Ordinal) ? store.FindAsync<AssessmentData>(id, cancellationToken) : Task.FromResult<StoredAggregate<AssessmentData>?>(null);

    /// <summary>One the caller may not see reads as one there is not.</summary>
    public string NotFoundDetail(string id) => $"There is no assessment {id} that you may see.";

    public Task<IReadOnlyList<StoredAggregate<AssessmentData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.InKeyRangeAsync<AssessmentData>(AggregateType, Assessment.IdFor(Grants.Domain.Applications.Application.IdPrefixFor(roundId)), cancellationToken);

    /// <summary>What a command on an assessment commits: its new state, with one audit event.</summary>
    public static Commit<AssessmentData> Commit(Assessment assessment, PendingAuditEvent auditEvent) =>
        new(assessment.Data, assessment.Data.Status.ToString(), Change.Of(auditEvent));

    /// <summary>A new assessment's commit, with the round as its query column.</summary>
    public static Commit<AssessmentData> Created(Assessment assessment, PendingAuditEvent auditEvent) =>
        Commit(assessment, auditEvent) with { Index = new Dictionary<string, string> { ["RoundId"] = assessment.Data.RoundId } };
}

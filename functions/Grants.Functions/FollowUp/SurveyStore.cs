using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.FollowUp;

/// <summary>Loads surveys, finds them by round, application and status, and says how a survey's change is committed.</summary>
public sealed class SurveyStore(AggregateStore store) : IAggregates<SurveyData>
{
    public const string AggregateType = "survey";

    public string Type => AggregateType;

    public string NotFoundDetail(string id) => $"No survey {id}.";

    public Task<StoredAggregate<SurveyData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("survey-", StringComparison.Ordinal) ? store.FindAsync<SurveyData>(id, cancellationToken) : Task.FromResult<StoredAggregate<SurveyData>?>(null);

    public Task<IReadOnlyList<StoredAggregate<SurveyData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.InKeyRangeAsync<SurveyData>(AggregateType, Survey.IdPrefixFor(roundId), cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<SurveyData>>> OfApplicationAsync(string applicationId, CancellationToken cancellationToken) =>
        store.MembersAsync<SurveyData>(AggregateType, "ApplicationId", applicationId, cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<SurveyData>>> InStatusAsync(SurveyStatus status, CancellationToken cancellationToken) =>
        store.QueryAsync<SurveyData>(AggregateType, $"Status eq {status.ToString()}", cancellationToken);

    /// <summary>The survey's new state with its audit event and any mail, for the executor to commit.</summary>
    public static Commit<SurveyData> Commit(Survey survey, PendingAuditEvent auditEvent, params OutboxEmail[] emails) =>
        Commit(survey, Change.Of(auditEvent, emails));

    public static Commit<SurveyData> Commit(Survey survey, Change change) =>
        new(survey.Data, survey.Data.Status.ToString(), change);

    /// <summary>A new survey with the columns it is found by (its round and application).</summary>
    public static Commit<SurveyData> Creation(Survey survey, PendingAuditEvent auditEvent) =>
        Commit(survey, auditEvent) with { Index = new Dictionary<string, string> { ["RoundId"] = survey.Data.RoundId, ["ApplicationId"] = survey.Data.ApplicationId } };
}

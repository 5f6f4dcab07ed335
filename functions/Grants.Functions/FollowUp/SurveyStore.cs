using Grants.Domain.FollowUp;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.FollowUp;

/// <summary>Surveys in the aggregate table, queryable by round, application and status.</summary>
public sealed class SurveyStore(AggregateStore store)
{
    public const string AggregateType = "survey";

    public Task<StoredAggregate<SurveyData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("survey-", StringComparison.Ordinal) ? store.FindAsync<SurveyData>(id, cancellationToken) : Task.FromResult<StoredAggregate<SurveyData>?>(null);

    public Task<IReadOnlyList<StoredAggregate<SurveyData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.QueryAsync<SurveyData>(AggregateType, $"ix_RoundId eq {roundId}", cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<SurveyData>>> OfApplicationAsync(string applicationId, CancellationToken cancellationToken) =>
        store.QueryAsync<SurveyData>(AggregateType, $"ix_ApplicationId eq {applicationId}", cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<SurveyData>>> InStatusAsync(SurveyStatus status, CancellationToken cancellationToken) =>
        store.QueryAsync<SurveyData>(AggregateType, $"Status eq {status.ToString()}", cancellationToken);

    /// <summary>Creates a scheduled survey; one that exists already (a retried schedule) is left as it is.</summary>
    public async Task CreateIfAbsentAsync(Survey survey, string actor, CancellationToken cancellationToken)
    {
        try
        {
            await store.CreateAsync(AggregateType, survey.Data.Id, survey.Data.Status.ToString(), survey.Data, actor,
                Change.Of(new PendingAuditEvent("SurveyScheduled", new { survey.Data.Wave, survey.Data.OpensAt, survey.Data.ClosesAt })),
                new Dictionary<string, string> { ["RoundId"] = survey.Data.RoundId, ["ApplicationId"] = survey.Data.ApplicationId }, cancellationToken);
        }
        catch (AggregateExistsException)
        {
        }
    }

    public Task<StoredAggregate<SurveyData>> SaveAsync(StoredAggregate<SurveyData> current, Survey survey, string actor, Change change, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, survey.Data.Status.ToString(), survey.Data, actor, change, cancellationToken);
}

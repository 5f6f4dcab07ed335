using Grants.Domain.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Applications;

/// <summary>Loads applications, finds them by round, organisation and status, and saves the system's work on many at once.</summary>
public sealed class ApplicationStore(AggregateStore store, EventDispatcher events) : IAggregates<ApplicationData>
{
    public const string AggregateType = "application";

    public string Type => AggregateType;

    /// <summary>The same words for an application there is not and one the caller may not see, so that neither is revealed.</summary>
    public string NotFoundDetail(string id) => $"There is no application {id} that you may see.";

    public Task<StoredAggregate<ApplicationData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("app-", StringComparison.Ordinal) ? store.FindAsync<ApplicationData>(id, cancellationToken) : Task.FromResult<StoredAggregate<ApplicationData>?>(null);

    /// <summary>The application, if the request being handled created it in an earlier attempt (<see cref="AggregateStore.FindOwnCreationAsync"/>).</summary>
    /// <summary>The application <paramref name="survey"/> follows up: always stored, since surveys are scheduled from stored applications.</summary>
    public async Task<ApplicationData> FollowedUpByAsync(Grants.Domain.FollowUp.SurveyData survey, CancellationToken cancellationToken) =>
        (await FindAsync(survey.ApplicationId, cancellationToken))?.State
        ?? throw new InvalidOperationException($"Application {survey.ApplicationId} of survey {survey.Id} is missing.");

    public Task<StoredAggregate<ApplicationData>?> FindOwnCreationAsync(string id, CancellationToken cancellationToken) =>
        store.FindOwnCreationAsync<ApplicationData>(id, cancellationToken);

    /// <summary>The application's new state with its audit event and any mail, for the executor to commit.</summary>
    public static Commit<ApplicationData> Commit(Application application, PendingAuditEvent auditEvent, params OutboxEmail[] emails) =>
        new(application.Data, application.Data.Status.ToString(), Change.Of(auditEvent, emails));

    /// <summary>The columns an application is found by; written when it is created.</summary>
    public static IReadOnlyDictionary<string, string> Index(ApplicationData application) => new Dictionary<string, string>
    {
        ["RoundId"] = application.RoundId,
        ["Kvk"] = application.Applicant.Kvk,
        ["Sector"] = application.Applicant.Sector,
    };

    public Task<IReadOnlyList<StoredAggregate<ApplicationData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.InKeyRangeAsync<ApplicationData>(AggregateType, Application.IdPrefixFor(roundId), cancellationToken);

    /// <summary>
    /// An organisation's applications, in round order. It has at most one per round, named by the round and its KvK number
    /// (<see cref="Application.IdFor"/>), so each round is one point read: rounds number in the tens a year, applications
    /// in the tens of thousands, and a filter on the KvK number would read every one of them.
    /// </summary>
    public async Task<IReadOnlyList<StoredAggregate<ApplicationData>>> OfOrganisationAsync(string kvk, CancellationToken cancellationToken) =>
        Domain.Organisations.Organisation.IsValidKvk(kvk) ? await OfOrganisationAsync(kvk, await RoundIdsAsync(cancellationToken), cancellationToken) : [];

    /// <summary>Every round's id (the round type's keys alone): for work that lists many organisations' applications, read once.</summary>
    public Task<IReadOnlyList<string>> RoundIdsAsync(CancellationToken cancellationToken) => store.IdsAsync("round", cancellationToken);

    /// <summary>An organisation's applications among <paramref name="roundIds"/>: one point read per round.</summary>
    public async Task<IReadOnlyList<StoredAggregate<ApplicationData>>> OfOrganisationAsync(string kvk, IReadOnlyList<string> roundIds, CancellationToken cancellationToken)
    {
        if (!Domain.Organisations.Organisation.IsValidKvk(kvk))
        {
            return [];
        }

        var found = new StoredAggregate<ApplicationData>?[roundIds.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, roundIds.Count), new ParallelOptions { MaxDegreeOfParallelism = Memberships.ReadsInFlight, CancellationToken = cancellationToken },
            async (i, ct) => found[i] = await store.FindAsync<ApplicationData>(Application.IdFor(roundIds[i], kvk), ct));
        return [.. found.OfType<StoredAggregate<ApplicationData>>()];
    }

    public Task<IReadOnlyList<StoredAggregate<ApplicationData>>> InStatusAsync(ApplicationStatus status, CancellationToken cancellationToken) =>
        store.QueryAsync<ApplicationData>(AggregateType, $"Status eq {status.ToString()}", cancellationToken);

    public Task<(IReadOnlyList<StoredAggregate<ApplicationData>> Items, string? ContinuationToken)> PageOfRoundAsync(
        string roundId, string? status, string? sector, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.PageInKeyRangeAsync<ApplicationData>(AggregateType, Application.IdPrefixFor(roundId), (status, sector) switch
        {
            (null, null) => null,
            (not null, null) => (FormattableString)$"Status eq {status}",
            (null, not null) => (FormattableString)$"ix_Sector eq {sector}",
            _ => (FormattableString)$"Status eq {status} and ix_Sector eq {sector}",
        }, continuationToken, pageSize, cancellationToken);

    public Task<StoredAggregate<ApplicationData>> SaveAsync(StoredAggregate<ApplicationData> current, Application application, string actor, Change change, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, application.Data.Status.ToString(), application.Data, actor, change, cancellationToken);

    /// <summary>
    /// A timer's work on every application in <paramref name="status"/> to which it still applies (a deadline passed),
    /// each as <see cref="UpdateWithRetryAsync"/> does it, in the timer's name.
    /// </summary>
    public async Task UpdateEachAsync(ApplicationStatus status, Func<Application, bool> stillApplies, Func<Application, Change> act, string actor, CancellationToken cancellationToken)
    {
        foreach (var candidate in await InStatusAsync(status, cancellationToken))
        {
            await UpdateWithRetryAsync(candidate.Id, stillApplies, act, actor, cancellationToken);
        }
    }

    /// <summary>
    /// For system work on many applications (timers, round closing, pool freeze): reload and retry when
    /// a person changed the application meanwhile; skip it when <paramref name="stillApplies"/> says the work is done.
    /// </summary>
    /// <returns>The application as saved (its events handed over), or null when the work no longer applied.</returns>
    public async Task<StoredAggregate<ApplicationData>?> UpdateWithRetryAsync(string id, Func<Application, bool> stillApplies, Func<Application, Change> act, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Application {id} vanished.");
            var application = new Application(stored.State);
            if (!stillApplies(application))
            {
                return null;
            }

            StoredAggregate<ApplicationData> saved;
            var change = act(application);
            try
            {
                saved = await SaveAsync(stored, application, actor, change, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                // Someone changed it between our read and write: read again and reconsider.
                continue;
            }

            if (change.Outbox.Count > 0)
            {
                await events.DispatchAsync(saved.Id, cancellationToken);
            }

            return saved;
        }
    }
}

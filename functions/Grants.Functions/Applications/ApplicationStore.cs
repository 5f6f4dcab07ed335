using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Applications;

/// <summary>Loading, saving and shaping applications; and who may see one.</summary>
public sealed class ApplicationStore(AggregateStore store, Assessments.AssessmentAccess assessments) : IAggregates<ApplicationData>
{
    public const string AggregateType = "application";

    public string Type => AggregateType;

    public string NotFoundDetail(string id) => $"There is no application {id} that you may see.";

    public Task<StoredAggregate<ApplicationData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("app-", StringComparison.Ordinal) ? store.FindAsync<ApplicationData>(id, cancellationToken) : Task.FromResult<StoredAggregate<ApplicationData>?>(null);

    /// <summary>
    /// The application if this caller may see it: the ministry, the applicant organisation itself, or an
    /// assessor assigned to it who has no conflict of interest with it.
    /// </summary>
    /// <summary>The application, if the request being handled created it in an earlier attempt (<see cref="AggregateStore.FindOwnCreationAsync"/>).</summary>
    public Task<StoredAggregate<ApplicationData>?> FindOwnCreationAsync(string id, CancellationToken cancellationToken) =>
        store.FindOwnCreationAsync<ApplicationData>(id, cancellationToken);

    public async Task<StoredAggregate<ApplicationData>?> FindVisibleAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } stored
        && (MaySee(caller, stored.State) || await assessments.MayAssessAsync(caller, stored.State, cancellationToken))
            ? stored
            : null;

    public static bool MaySee(Caller caller, ApplicationData application) =>
        caller.HasRole(Roles.Ministry) || (caller.HasRole(Roles.Applicant) && caller.Organisation == application.Applicant.Kvk);

    /// <summary>The application, when the caller may see it (<see cref="MaySee"/>) or audits the programme; otherwise null, as if there were none.</summary>
    public async Task<StoredAggregate<ApplicationData>?> FindForReaderAsync(string applicationId, Caller caller, CancellationToken cancellationToken) =>
        await FindAsync(applicationId, cancellationToken) is { } application && (MaySee(caller, application.State) || caller.HasRole(Roles.Auditor)) ? application : null;

    public static bool IsOwner(Caller caller, ApplicationData application) =>
        caller.HasRole(Roles.Applicant) && caller.Organisation == application.Applicant.Kvk;

    public Task<IReadOnlyList<StoredAggregate<ApplicationData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.QueryAsync<ApplicationData>(AggregateType, $"ix_RoundId eq {roundId}", cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<ApplicationData>>> OfOrganisationAsync(string kvk, CancellationToken cancellationToken) =>
        store.QueryAsync<ApplicationData>(AggregateType, $"ix_Kvk eq {kvk}", cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<ApplicationData>>> InStatusAsync(ApplicationStatus status, CancellationToken cancellationToken) =>
        store.QueryAsync<ApplicationData>(AggregateType, $"Status eq {status.ToString()}", cancellationToken);

    public Task<(IReadOnlyList<StoredAggregate<ApplicationData>> Items, string? ContinuationToken)> PageOfRoundAsync(
        string roundId, string? status, string? sector, string? continuationToken, int pageSize, CancellationToken cancellationToken) =>
        store.QueryPageAsync<ApplicationData>(AggregateType, (status, sector) switch
        {
            (null, null) => (FormattableString)$"ix_RoundId eq {roundId}",
            (not null, null) => (FormattableString)$"ix_RoundId eq {roundId} and Status eq {status}",
            (null, not null) => (FormattableString)$"ix_RoundId eq {roundId} and ix_Sector eq {sector}",
            _ => (FormattableString)$"ix_RoundId eq {roundId} and Status eq {status} and ix_Sector eq {sector}",
        }, continuationToken, pageSize, cancellationToken);

    public Task<StoredAggregate<ApplicationData>> CreateAsync(Application application, string actor, Change change, CancellationToken cancellationToken) =>
        store.CreateAsync(AggregateType, application.Data.Id, application.Data.Status.ToString(), application.Data, actor, change, new Dictionary<string, string>
        {
            ["RoundId"] = application.Data.RoundId,
            ["Kvk"] = application.Data.Applicant.Kvk,
            ["Sector"] = application.Data.Applicant.Sector,
        }, cancellationToken);

    public Task<StoredAggregate<ApplicationData>> SaveAsync(StoredAggregate<ApplicationData> current, Application application, string actor, Change change, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, application.Data.Status.ToString(), application.Data, actor, change, cancellationToken);

    /// <summary>
    /// For system work on many applications (timers, round closing, pool freeze): reload and retry when
    /// a person changed the application meanwhile; skip it when <paramref name="stillApplies"/> says the work is done.
    /// </summary>
    /// <returns>The application as saved, or null when the work no longer applied.</returns>
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

            try
            {
                return await SaveAsync(stored, application, actor, act(application), cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                // Someone changed it between our read and write: read again and reconsider.
            }
        }
    }

    public static IResult NotFound(string id) => Problems.Of(ProblemKind.NotFound, $"There is no application {id} that you may see.");

    /// <param name="outcome">The standing in the draw to show, when derived from the round's current protocol (<see cref="Lottery.DrawStandings"/>); else the stored one.</param>
    public static ApplicationResponse ToResponse(StoredAggregate<ApplicationData> stored, DrawOutcome? outcome = null)
    {
        var a = stored.State;
        return new ApplicationResponse(
            a.Id,
            a.RoundId,
            a.Applicant.Kvk,
            a.Applicant.LegalName,
            a.Status.ToString(),
            ToDto(a.Content),
            [.. a.Attachments.Select(f => new AttachmentResponse(f.Kind, f.FileName, f.MediaType, f.Size, f.Sha256, f.UploadedAt))],
            a.ReceiptNumber,
            a.SubmittedAt,
            a.AutomaticFindings,
            a.Eligibility is { } e ? new EligibilityResponse(e.Eligible ? "eligible" : "ineligible", e.ReasonCodes, e.Note, e.DecidedAt) : null,
            [.. a.InformationRequests.Select(r => new InformationRequestResponse(r.Id, r.Question, r.Deadline, r.RequestedAt, r.Answer, r.AnsweredAt, r.Expired))],
            a.CreatedAt,
            a.WithdrawnAt,
            a.PoolId,
            (outcome ?? a.Outcome) is { } o ? new DrawOutcomeResponse(o.Selected ? "selected" : "reserve", o.Stratum, o.Rank, o.ReservePosition, o.ProtocolHash) : null,
            Decision(a),
            a.Objection is { } objection
                ? new ObjectionResponse(objection.Upheld switch { true => "upheld", false => "dismissed", null => "pending" }, objection.Grounds, objection.LodgedAt,
                    objection.DecideBy, objection.Reasoning, objection.DecidedAt)
                : null,
            stored.Version);
    }

    private static DecisionResponse? Decision(ApplicationData a)
    {
        var answer = a.Acceptance is { } acceptance ? acceptance.Accepted ? "accepted" : acceptance.Lapsed ? "lapsed" : "declined" : null;
        return (a.Award, a.Rejection) switch
        {
            (_, { } r) => new DecisionResponse("rejection", null, null, null, r.At, null, r.ReasonCodes, r.Note, null),
            ({ } w, _) => new DecisionResponse(w.DecidedAt is null ? "award-proposed" : "award", w.AmountCents, w.ProposedBy, w.ApprovedBy, w.DecidedAt, w.AcceptBy, [], null, answer),
            _ => null,
        };
    }

    public static ApplicationSummaryResponse ToSummary(StoredAggregate<ApplicationData> stored)
    {
        var a = stored.State;
        return new ApplicationSummaryResponse(a.Id, a.Applicant.Kvk, a.Applicant.LegalName, a.Applicant.Sector, a.Status.ToString(), a.Content.Themes,
            a.Content.RequestedAmountCents, a.ReceiptNumber, a.SubmittedAt);
    }

    public static ApplicationContent ToDomain(ApplicationContentDto dto) => new(
        dto.Title, dto.Summary, [.. dto.Themes], dto.RequestedAmountCents, dto.StartDate, dto.DurationMonths, dto.CoFinancingCents,
        dto.Adviser is { } adviser ? new Adviser(adviser.Firm.Trim(), adviser.Contact.Trim(), adviser.Email?.Trim()) : null,
        dto.ConsentToFollowUp);

    public static ApplicationContentDto ToDto(ApplicationContent content) => new(
        content.Title, content.Summary, content.Themes, content.RequestedAmountCents, content.StartDate, content.DurationMonths, content.CoFinancingCents,
        content.Adviser is { } adviser ? new AdviserDto(adviser.Firm, adviser.Contact, adviser.Email) : null,
        content.ConsentToFollowUp);
}

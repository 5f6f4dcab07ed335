using Grants.Domain.Applications;
using Grants.Domain.Execution;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Events;
using Grants.Functions.Rounds;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Execution;

/// <summary>On acceptance of a project subsidy: the agreement with its advance and report deadlines. Safe to repeat.</summary>
public sealed class StartGrantHandler(AggregateStore store, IOptions<ExecutionOptions> options, TimeProvider time)
{
    public const string SystemActor = "system:report-deadlines";

    public async Task HandleAsync(ApplicationData accepted, RoundData round, CancellationToken cancellationToken)
    {
        // A voucher round's award, or one whose moment has passed when its event arrives, starts nothing.
        if (!GrantAgreement.IsStartedFor(accepted, round))
        {
            return;
        }

        var settings = options.Value;
        var grant = GrantAgreement.Start(accepted, round, time.GetUtcNow(), settings.AdvanceShare, settings.FinalReportWeeks);
        try
        {
            await store.CreateAsync(GrantStore.AggregateType, grant.Data.Id, grant.Data.Status.ToString(), grant.Data, SystemActor,
                Change.Of(new PendingAuditEvent("GrantStarted", new { grant.Data.AwardedCents, advances = grant.Data.Advances, reports = grant.Data.Reports })),
                new Dictionary<string, string> { ["RoundId"] = round.Id }, cancellationToken);
        }
        catch (AggregateExistsException)
        {
            // Started already (an earlier attempt, or the deadline watcher): one agreement per accepted application.
        }
    }
}

/// <summary>An accepted award of a project subsidy starts its grant (<see cref="ApplicationEvents.AwardAccepted"/>).</summary>
public sealed class StartGrantOnAcceptance(ApplicationStore applications, RoundStore rounds, StartGrantHandler start) : IEventSubscriber
{
    public string Event => ApplicationEvents.AwardAccepted;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(delivery.AggregateId, cancellationToken) is { } accepted && await rounds.FindAsync(accepted.State.RoundId, cancellationToken) is { } round)
        {
            await start.HandleAsync(accepted.State, round.State, cancellationToken);
        }
    }
}

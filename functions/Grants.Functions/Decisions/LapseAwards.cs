using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

/// <summary>Every hour: awards not accepted by their deadline lapse, and their budget goes down the reserve list.</summary>
public sealed class LapseAwards(LapseAwardsHandler handler)
{
    [Function(nameof(LapseAwards))]
    public Task Run([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => handler.HandleAsync(cancellationToken);
}

/// <summary>Awards not accepted by their deadline lapse; each gives up its place (<see cref="ApplicationEvents.PlaceReleased"/>), and its budget goes down the reserve list.</summary>
public sealed class LapseAwardsHandler(ApplicationStore applications, TimeProvider time)
{
    public const string SystemActor = "system:award-lapse-timer";

    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A voucher award asks for no answer and so never lapses (Application.HasLapsed): the voucher's own validity ends it.
        await applications.UpdateEachAsync(ApplicationStatus.Awarded, a => a.HasLapsed(now), a =>
        {
            a.Lapse(now);
            return Change.Of(new PendingAuditEvent("AwardLapsed", a.Data.Acceptance)).Raising(new OutboxEvent(ApplicationEvents.PlaceReleased, PlaceReleases.Lapse));
        }, SystemActor, cancellationToken);
    }
}

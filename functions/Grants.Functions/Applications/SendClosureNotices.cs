using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;

namespace Grants.Functions.Applications;

/// <summary>
/// When a round closes (<see cref="RoundEvents.Closed"/>), every applicant is told: one mail per application, recorded
/// on it, then the round records that all were sent — in the name of whoever closed it. Repeating it sends nothing twice.
/// </summary>
public sealed class SendClosureNotices(RoundStore rounds, ApplicationStore applications) : IEventSubscriber
{
    public string Event => RoundEvents.Closed;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(delivery.AggregateId, cancellationToken) is not { State.ClosureNoticesSent: false } closed)
        {
            return;
        }

        foreach (var application in await applications.OfRoundAsync(closed.Id, cancellationToken))
        {
            if (application.State.Status != ApplicationStatus.Withdrawn && !application.State.RoundClosedNoticeSent)
            {
                await applications.UpdateWithRetryAsync(application.Id, a => !a.Data.RoundClosedNoticeSent, a =>
                {
                    a.MarkRoundClosedNoticeSent();
                    return Change.Of(new PendingAuditEvent("RoundClosedNoticeSent", new { roundId = closed.Id }), ApplicantMail.RoundClosed(a.Data, closed.State.Name));
                }, delivery.Actor, cancellationToken);
            }
        }

        var round = new Round(closed.State);
        round.MarkClosureNoticesSent();
        await rounds.SaveAsync(closed, round, delivery.Actor, new PendingAuditEvent("ClosureNoticesSent", new { roundId = closed.Id }), cancellationToken);
    }
}

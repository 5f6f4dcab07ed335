using Grants.Domain.Rounds;
using Grants.Functions.Platform.Events;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>
/// When a round opens (<see cref="RoundEvents.Opened"/>), its analysis plan is announced, before anything about the
/// draw exists; announcing it again changes nothing.
/// </summary>
public sealed class AnnounceAnalysisPlan(RoundStore rounds, AnnouncementStore announcements) : IEventSubscriber
{
    public string Event => RoundEvents.Opened;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(delivery.AggregateId, cancellationToken) is { } opened)
        {
            await announcements.AnnounceAsync(opened.State, frozen: null, cancellationToken);
        }
    }
}

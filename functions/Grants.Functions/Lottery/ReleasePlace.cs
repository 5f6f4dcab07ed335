using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Lottery;

/// <summary>
/// When an application gives up its place — withdrawn, rejected, its award declined or lapsed — its budget goes back
/// to the round and the cut-off moves to the next on the published reserve list. An application that never entered
/// the pool, or a round whose draw is not published, has nothing to release. Both steps can be repeated.
/// </summary>
public sealed class ReleasePlace(ApplicationStore applications, ReserveList reserveList) : IEventSubscriber
{
    public string Event => ApplicationEvents.PlaceReleased;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(delivery.AggregateId, cancellationToken) is not { State: { PoolId: { } poolId } released } || delivery.Detail is not { } kind)
        {
            return;
        }

        await reserveList.ReleaseAsync(released, kind, PlaceReleases.Reason(kind, poolId), new Caller(delivery.Actor, new HashSet<string>(), null), cancellationToken);
    }
}

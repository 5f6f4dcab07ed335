using Grants.Functions.Platform.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Platform.Work;

/// <summary>
/// A decision's event starts its round-wide work (docs/decisions/0019): the operation of the kind, for the round that raised
/// the event, named by the event's detail (what tells one such decision from the next, if anything), in the name of whoever
/// decided. A second delivery of the event finds the operation started.
/// </summary>
public sealed class StartOperationOn(string @event, string kind, BackgroundOperations operations) : IEventSubscriber
{
    public string Event => @event;

    public Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken) =>
        operations.StartAsync(kind, delivery.AggregateId, delivery.Detail, delivery.Actor, cancellationToken);
}

public static class StartOperationOnRegistration
{
    /// <summary>Starts the work of <paramref name="kind"/> whenever <paramref name="event"/> is relayed.</summary>
    public static IServiceCollection AddOperationOn(this IServiceCollection services, string @event, string kind) =>
        services.AddSingleton<IEventSubscriber>(sp => new StartOperationOn(@event, kind, sp.GetRequiredService<BackgroundOperations>()));
}

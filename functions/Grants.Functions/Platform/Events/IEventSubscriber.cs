namespace Grants.Functions.Platform.Events;

/// <summary>
/// A feature's part in what follows an event another feature committed (an award accepted starts a grant). It may run
/// more than once for one event — after a crash, or when the request that committed it and the relay both try — so
/// it must be idempotent: a second run finds its work done and changes nothing.
/// </summary>
public interface IEventSubscriber
{
    /// <summary>The event this subscriber acts on (<see cref="Storage.OutboxEvent.Name"/>).</summary>
    string Event { get; }

    Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>One committed event as its subscribers receive it.</summary>
/// <param name="AggregateId">The aggregate it happened to.</param>
/// <param name="Actor">Who made the change, as the audit trail names them: the work that follows is done in their name.</param>
public sealed record EventDelivery(string AggregateId, string Name, string? Detail, string Actor);

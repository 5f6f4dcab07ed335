using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Events;

/// <summary>Twice a minute: hands over committed events whose request did not finish handing them over.</summary>
public sealed class DispatchEvents(EventDispatcher dispatcher)
{
    [Function(nameof(DispatchEvents))]
    public Task Run([TimerTrigger("15,45 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        dispatcher.RelayPendingAsync(cancellationToken);
}

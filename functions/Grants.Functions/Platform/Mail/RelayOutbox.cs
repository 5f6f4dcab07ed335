using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Mail;

/// <summary>Sweeps the outbox twice a minute and sends what is pending.</summary>
public sealed class RelayOutbox(OutboxRelay relay)
{
    [Function(nameof(RelayOutbox))]
    public Task Run([TimerTrigger("*/30 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        relay.RelayPendingAsync(cancellationToken);
}

using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

/// <summary>Every minute: closes rounds whose closing time has passed and finishes their closure notices.</summary>
public sealed class CloseDueRounds(RoundClosing closing)
{
    [Function(nameof(CloseDueRounds))]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => closing.SweepAsync(cancellationToken);
}

using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Retention;

/// <summary>Every night: anonymise the files past their retention period (<see cref="RetentionSweep"/>).</summary>
public sealed class ApplyRetention(RetentionSweep sweep)
{
    [Function(nameof(ApplyRetention))]
    public Task Run([TimerTrigger("0 30 2 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.RunAsync(cancellationToken);
}

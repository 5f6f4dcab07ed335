using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Work;

/// <summary>Does the round-wide work the work queue holds, a message at a time (<see cref="BackgroundOperations"/>).</summary>
public sealed class RunBackgroundWork(BackgroundOperations operations)
{
    [Function(nameof(RunBackgroundWork))]
    public Task Run([QueueTrigger(WorkQueue.Name)] string message, CancellationToken cancellationToken) =>
        operations.RunAsync(WorkMessage.Parse(message), cancellationToken);
}

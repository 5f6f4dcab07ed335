using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.FollowUp;

/// <summary>Every hour: opens follow-up surveys whose wave has started, sends due reminders, closes ended waves.</summary>
public sealed class RunFollowUp(FollowUpWork work)
{
    [Function(nameof(RunFollowUp))]
    public Task Run([TimerTrigger("0 5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => work.SweepAsync(cancellationToken);
}

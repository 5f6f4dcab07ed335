using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

/// <summary>Every hour: awards not accepted by their deadline lapse, and their budget goes down the reserve list.</summary>
public sealed class LapseAwards(DecisionHandlers decisions)
{
    [Function(nameof(LapseAwards))]
    public Task Run([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => decisions.LapseAsync(cancellationToken);
}

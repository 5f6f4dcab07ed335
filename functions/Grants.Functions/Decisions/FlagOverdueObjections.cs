using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

/// <summary>Every morning: objections past their six-week decision deadline are flagged in the audit trail.</summary>
public sealed class FlagOverdueObjections(DecisionHandlers decisions)
{
    [Function(nameof(FlagOverdueObjections))]
    public Task Run([TimerTrigger("0 0 6 * * *")] TimerInfo timer, CancellationToken cancellationToken) => decisions.FlagOverdueObjectionsAsync(cancellationToken);
}

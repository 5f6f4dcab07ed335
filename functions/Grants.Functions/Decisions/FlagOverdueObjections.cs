using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

/// <summary>Every morning: objections past their six-week decision deadline are flagged in the audit trail.</summary>
public sealed class FlagOverdueObjections(FlagOverdueObjectionsHandler handler)
{
    [Function(nameof(FlagOverdueObjections))]
    public Task Run([TimerTrigger("0 0 6 * * *")] TimerInfo timer, CancellationToken cancellationToken) => handler.HandleAsync(cancellationToken);
}

/// <summary>Objections not decided within their six weeks are flagged once, in the audit trail and the log.</summary>
public sealed class FlagOverdueObjectionsHandler(ApplicationStore applications, TimeProvider time)
{
    public const string SystemActor = "system:objection-deadline-timer";

    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await applications.UpdateEachAsync(ApplicationStatus.UnderObjection, a => a.IsObjectionOverdue(now), a =>
        {
            a.FlagObjectionOverdue(now);
            return Change.Of(new PendingAuditEvent("ObjectionOverdue", new { decideBy = a.Data.Objection!.DecideBy }));
        }, SystemActor, cancellationToken);
    }
}

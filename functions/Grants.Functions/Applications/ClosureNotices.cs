using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;

namespace Grants.Functions.Applications;

/// <summary>
/// When a round closes (<see cref="RoundEvents.Closed"/> starts it), every applicant is told in the background: one mail
/// per application that was not withdrawn, recorded on it, in the name of whoever closed the round; then the round
/// records that all were sent. Repeating any of it sends nothing twice.
/// </summary>
public sealed class ClosureNotices(RoundStore rounds, ApplicationStore applications) : IBatchWork
{
    public const string Kind = CloseRoundHandler.NoticesKind;

    string IBatchWork.Kind => Kind;

    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(operation.RoundId, cancellationToken) is not { State.ClosureNoticesSent: false })
        {
            return new WorkPlan([]);
        }

        return new WorkPlan((await applications.OfRoundAsync(operation.RoundId, cancellationToken))
            .Where(a => a.State.Status != ApplicationStatus.Withdrawn && !a.State.RoundClosedNoticeSent)
            .Select(a => a.Id)
            .ToList());
    }

    public async Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken)
    {
        var round = await rounds.FindAsync(operation.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {operation.RoundId} vanished.");
        await Fanout.ForEachAsync(items, (applicationId, ct) =>
            applications.UpdateWithRetryAsync(applicationId, a => !a.Data.RoundClosedNoticeSent && a.Data.Status != ApplicationStatus.Withdrawn, a =>
            {
                a.MarkRoundClosedNoticeSent();
                return Change.Of(new PendingAuditEvent("RoundClosedNoticeSent", new { roundId = round.Id }), ApplicantMail.RoundClosed(a.Data, round.State.Name));
            }, operation.Actor, ct), cancellationToken);
    }

    /// <summary>The round records that every applicant was told (staff may have changed it meanwhile: asked for its pool's freeze).</summary>
    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) =>
        rounds.UpdateWithRetryAsync(operation.RoundId, round => !round.Data.ClosureNoticesSent, round =>
        {
            round.MarkClosureNoticesSent();
            return new PendingAuditEvent("ClosureNoticesSent", new { roundId = operation.RoundId });
        }, operation.Actor, cancellationToken);
}

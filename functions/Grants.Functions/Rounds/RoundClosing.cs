using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Rounds;

/// <summary>
/// Closing a round, by hand or by timer at its closing time, and telling every applicant. The
/// notices go out per application (one mail each, recorded on that application), then the round
/// records that all were sent — all in the name of whoever closed it; the timer finishes, in its own
/// name, any notices a crash left unsent.
/// </summary>
public sealed partial class RoundClosing(RoundStore rounds, ApplicationStore applications, TimeProvider time, ILogger<RoundClosing> logger)
{
    public const string SystemActor = "system:round-closing-timer";

    public async Task<StoredAggregate<RoundData>> CloseAsync(StoredAggregate<RoundData> stored, string actor, CancellationToken cancellationToken)
    {
        var round = new Round(stored.State);
        round.Close(time.GetUtcNow());
        var saved = await rounds.SaveAsync(stored, round, actor, new PendingAuditEvent("RoundClosed", new { closedAt = round.Data.ClosedAt }), cancellationToken);
        return await SendClosureNoticesAsync(saved, actor, cancellationToken);
    }

    /// <summary>Closes rounds past their closing time and completes unsent closure notices.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var open in await rounds.InStatusAsync(RoundStatus.Open, cancellationToken))
        {
            if (new Round(open.State).IsDueToClose(now))
            {
                LogClosing(logger, open.Id);
                await CloseAsync(open, SystemActor, cancellationToken);
            }
        }

        foreach (var status in new[] { RoundStatus.Closed, RoundStatus.PoolFrozen })
        {
            foreach (var closed in (await rounds.InStatusAsync(status, cancellationToken)).Where(r => !r.State.ClosureNoticesSent))
            {
                await SendClosureNoticesAsync(closed, SystemActor, cancellationToken);
            }
        }
    }

    private async Task<StoredAggregate<RoundData>> SendClosureNoticesAsync(StoredAggregate<RoundData> stored, string actor, CancellationToken cancellationToken)
    {
        foreach (var application in await applications.OfRoundAsync(stored.Id, cancellationToken))
        {
            if (application.State.Status != ApplicationStatus.Withdrawn && !application.State.RoundClosedNoticeSent)
            {
                await applications.UpdateWithRetryAsync(application.Id, a => !a.Data.RoundClosedNoticeSent, a =>
                {
                    a.MarkRoundClosedNoticeSent();
                    return Change.Of(new PendingAuditEvent("RoundClosedNoticeSent", new { roundId = stored.Id }), ApplicantMail.RoundClosed(a.Data, stored.State.Name));
                }, actor, cancellationToken);
            }
        }

        var round = new Round(stored.State);
        round.MarkClosureNoticesSent();
        return await rounds.SaveAsync(stored, round, actor, new PendingAuditEvent("ClosureNoticesSent", new { roundId = stored.Id }), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing round {RoundId}: its closing time has passed")]
    private static partial void LogClosing(ILogger logger, string roundId);
}

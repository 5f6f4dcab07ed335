using Grants.Domain.Applications;
using Grants.Domain.Execution;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Execution;

/// <summary>Every morning: reminders before report deadlines and overdue reports flagged.</summary>
public sealed class WatchReportDeadlines(WatchReportDeadlinesHandler handler)
{
    [Function(nameof(WatchReportDeadlines))]
    public Task Run([TimerTrigger("0 0 7 * * *")] TimerInfo timer, CancellationToken cancellationToken) => handler.HandleAsync(cancellationToken);
}

/// <summary>
/// Reminders before report deadlines, and overdue reports flagged (both mailed to the grantee); and a grant
/// for any accepted project subsidy that lacks one (its start failed after the acceptance was saved).
/// </summary>
public sealed class WatchReportDeadlinesHandler(
    AggregateStore store, GrantStore grants, ApplicationStore applications, RoundStore rounds, StartGrantHandler start, IOptions<ExecutionOptions> options, TimeProvider time, ILogger<WatchReportDeadlinesHandler> logger)
{
    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        foreach (var accepted in await applications.InStatusAsync(ApplicationStatus.Accepted, cancellationToken))
        {
            try
            {
                if (await grants.OfApplicationAsync(accepted.Id, cancellationToken) is null
                    && await rounds.FindAsync(accepted.State.RoundId, cancellationToken) is { } round)
                {
                    await start.HandleAsync(accepted.State, round.State, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The grant of {Application} could not be started; retrying next run.", accepted.Id);
            }
        }

        foreach (var stored in await grants.AllAsync(cancellationToken))
        {
            try
            {
                var grant = new GrantAgreement(stored.State);
                var (remind, overdue) = grant.DueNotices(time.GetUtcNow(), TimeSpan.FromDays(options.Value.ReminderDays));
                if (remind.Count + overdue.Count == 0)
                {
                    continue;
                }

                var grantee = (await applications.FindAsync(stored.State.ApplicationId, cancellationToken))!.State;
                var mails = new List<OutboxEmail>();
                foreach (var report in remind)
                {
                    grant.MarkReminded(report.Kind);
                    mails.Add(GrantMail.ReportDueSoon(grantee, report));
                }

                foreach (var report in overdue)
                {
                    grant.FlagOverdue(report.Kind, time.GetUtcNow());
                    mails.Add(GrantMail.ReportOverdue(grantee, report));
                }

                await store.UpdateAsync(stored, grant.Data.Status.ToString(), grant.Data, StartGrantHandler.SystemActor,
                    new Change([new PendingAuditEvent("ReportDeadlinesNoticed", new { reminded = remind.Select(r => r.Kind), overdue = overdue.Select(r => r.Kind) })], mails), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Report deadlines of grant {Grant} could not be processed; retrying next run.", stored.Id);
            }
        }
    }
}

using Grants.Domain.Applications;
using Grants.Domain.FollowUp;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.FollowUp;

/// <summary>Every hour: opens follow-up surveys whose wave has started, sends due reminders, closes ended waves.</summary>
public sealed class RunFollowUp(RunFollowUpHandler handler)
{
    [Function(nameof(RunFollowUp))]
    public Task Run([TimerTrigger("0 5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => handler.HandleAsync(cancellationToken);
}

/// <summary>
/// The follow-up's timed work on scheduled surveys: opened (with an invitation), reminded and closed. A survey whose
/// application has withdrawn its consent is withdrawn instead of invited or reminded. One survey that cannot be
/// processed does not hold up the others; it is tried again in the next sweep.
/// </summary>
public sealed class RunFollowUpHandler(
    CommandExecutor commands, SurveyStore surveys, RoundStore rounds, ApplicationStore applications, IOptions<FollowUpOptions> options, TimeProvider time, ILogger<RunFollowUpHandler> logger)
{
    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>();
        async Task<string> RoundNameAsync(string roundId) =>
            names.TryGetValue(roundId, out var name) ? name : names[roundId] = (await rounds.FindAsync(roundId, cancellationToken))?.State.Name ?? roundId;

        foreach (var stored in await surveys.InStatusAsync(SurveyStatus.Scheduled, cancellationToken))
        {
            await TryAsync(stored, survey => survey.IsDueToOpen(time.GetUtcNow()), survey => OpenAsync(survey, RoundNameAsync, cancellationToken), cancellationToken);
        }

        foreach (var stored in await surveys.InStatusAsync(SurveyStatus.Open, cancellationToken))
        {
            await TryAsync(stored, survey => survey.DueReminders(time.GetUtcNow()).Count > 0, survey => RemindAsync(survey, RoundNameAsync, cancellationToken), cancellationToken);
        }

        foreach (var status in new[] { SurveyStatus.Scheduled, SurveyStatus.Open, SurveyStatus.Completed })
        {
            foreach (var stored in await surveys.InStatusAsync(status, cancellationToken))
            {
                await TryAsync(stored, survey => survey.IsDueToClose(time.GetUtcNow()), survey =>
                {
                    survey.Close(time.GetUtcNow());
                    return Task.FromResult(Change.Of(new PendingAuditEvent("SurveyClosed", new { survey.Data.Wave, answered = survey.Data.Respondents.Count(r => r.SubmittedAt is not null) })));
                }, cancellationToken);
            }
        }
    }

    private async Task<Change> OpenAsync(Survey survey, Func<string, Task<string>> roundName, CancellationToken cancellationToken)
    {
        var application = await applications.FollowedUpByAsync(survey.Data, cancellationToken);
        if (application.ConsentWithdrawnAt is not null)
        {
            // A withdrawal that was interrupted before reaching this survey: finish it instead of inviting.
            survey.Withdraw(time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("SurveyWithdrawn", new { survey.Data.Wave }));
        }

        var recipient = Application.HoldsAward(application);
        var respondentId = "r1";
        var (token, secret) = SurveyTokens.Issue(survey.Data.Id, respondentId);
        survey.Open(application, recipient, respondentId, application.Applicant.ContactEmail, application.Applicant.Language, Survey.HashSecret(secret), time.GetUtcNow());
        var invitation = SurveyMail.Invitation(survey.Data.Primary!, survey.Data, await roundName(survey.Data.RoundId), SurveyTokens.Link(options.Value.PublicBaseUrl, token));
        return Change.Of(new PendingAuditEvent("SurveyOpened", new { survey.Data.Wave, recipient, respondent = respondentId }), invitation);
    }

    private async Task<Change> RemindAsync(Survey survey, Func<string, Task<string>> roundName, CancellationToken cancellationToken)
    {
        var application = await applications.FollowedUpByAsync(survey.Data, cancellationToken);
        if (application.ConsentWithdrawnAt is not null)
        {
            // A withdrawal that was interrupted before reaching this survey: finish it instead of reminding.
            survey.Withdraw(time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("SurveyWithdrawn", new { survey.Data.Wave }));
        }

        // A reminder carries a token of its own: the invitation's was only ever in that mail, and we do not keep it.
        var now = time.GetUtcNow();
        var mails = new List<OutboxEmail>();
        var events = new List<PendingAuditEvent>();
        foreach (var due in survey.DueReminders(now))
        {
            var (token, secret) = SurveyTokens.Issue(survey.Data.Id, due.Id);
            survey.Remind(application, due.Id, Survey.HashSecret(secret), now);
            mails.Add(SurveyMail.Reminder(due, survey.Data, await roundName(survey.Data.RoundId), SurveyTokens.Link(options.Value.PublicBaseUrl, token)));
            events.Add(new PendingAuditEvent("SurveyReminderSent", new { survey.Data.Wave, respondent = due.Id, reminder = due.Reminders + 1 }));
        }

        return new Change(events, mails);
    }

    /// <summary>
    /// System work on one survey, committed with the version the sweep listed: skipped when no longer due; a
    /// concurrent change (a respondent saving) leaves it for the next sweep.
    /// </summary>
    private async Task TryAsync(StoredAggregate<SurveyData> listed, Func<Survey, bool> due, Func<Survey, Task<Change>> act, CancellationToken cancellationToken)
    {
        if (!due(new Survey(listed.State)))
        {
            return;
        }

        try
        {
            await commands.ChangeAsync(surveys, listed.Id, listed.ETag, ScheduleSurveysHandler.SystemActor, async stored =>
            {
                var survey = new Survey(stored.State);
                return (Result<Commit<SurveyData>>)SurveyStore.Commit(survey, await act(survey));
            }, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            logger.LogInformation("Survey {Survey} changed during the sweep; the next sweep picks it up.", listed.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One survey that cannot be processed must not hold up every survey after it; it is retried next sweep.
            logger.LogError(e, "Survey {Survey} could not be processed in the follow-up sweep; retrying next sweep.", listed.Id);
        }
    }
}

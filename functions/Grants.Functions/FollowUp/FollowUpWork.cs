using Grants.Domain.Applications;
using Grants.Domain.FollowUp;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.FollowUp;

/// <summary>
/// The follow-up of winners and losers: surveys scheduled for every pool unit when the draw is
/// published, then opened (with an invitation), reminded and closed by the timer.
/// </summary>
public sealed class FollowUpWork(
    SurveyStore surveys, RoundStore rounds, ApplicationStore applications, IOptions<FollowUpOptions> options, TimeProvider time, ILogger<FollowUpWork> logger)
{
    public const string SystemActor = "system:follow-up";

    /// <summary>One survey per pool unit and wave, all opening on the same dates after the draw. Safe to repeat.</summary>
    public async Task ScheduleAsync(RoundData round, FrozenPool pool, DateTimeOffset drawnAt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var months = round.Configuration.FollowUpWaveMonths;
        var waves = Enumerable.Range(1, months.Count).Select(wave => (Wave: wave, Opens: drawnAt.AddMonths(months[wave - 1])));
        await Fanout.ForEachAsync(waves.SelectMany(wave => pool.Entries.Select(entry => (wave.Wave, wave.Opens, Entry: entry))), (survey, ct) =>
            surveys.CreateIfAbsentAsync(
                Survey.Schedule(round.Id, survey.Entry.ApplicationId, survey.Entry.Id, survey.Wave, survey.Opens, survey.Opens.AddDays(7 * settings.WaveWeeks), settings.ReminderDays, settings.MaxReminders),
                SystemActor, ct), cancellationToken);
    }

    /// <summary>Opens due surveys, sends due reminders and closes surveys whose wave has ended.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
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
        var application = (await applications.FindAsync(survey.Data.ApplicationId, cancellationToken))?.State
            ?? throw new InvalidOperationException($"Application {survey.Data.ApplicationId} of survey {survey.Data.Id} vanished.");
        if (application.ConsentWithdrawnAt is not null)
        {
            // A withdrawal that was interrupted before reaching this survey: finish it instead of inviting.
            survey.Withdraw(time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("SurveyWithdrawn", new { survey.Data.Wave }));
        }

        var recipient = application.Status is ApplicationStatus.Awarded or ApplicationStatus.Accepted;
        var respondentId = "r1";
        var (token, secret) = SurveyTokens.Issue(survey.Data.Id, respondentId);
        survey.Open(recipient, respondentId, application.Applicant.ContactEmail, application.Applicant.Language, Survey.HashSecret(secret), time.GetUtcNow());
        var invitation = SurveyMail.Invitation(survey.Data.Primary!, survey.Data, await roundName(survey.Data.RoundId), SurveyTokens.Link(options.Value.PublicBaseUrl, token));
        return Change.Of(new PendingAuditEvent("SurveyOpened", new { survey.Data.Wave, recipient, respondent = respondentId }), invitation);
    }

    private async Task<Change> RemindAsync(Survey survey, Func<string, Task<string>> roundName, CancellationToken cancellationToken)
    {
        if ((await applications.FindAsync(survey.Data.ApplicationId, cancellationToken))?.State.ConsentWithdrawnAt is not null)
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
            survey.Remind(due.Id, Survey.HashSecret(secret), now);
            mails.Add(SurveyMail.Reminder(due, survey.Data, await roundName(survey.Data.RoundId), SurveyTokens.Link(options.Value.PublicBaseUrl, token)));
            events.Add(new PendingAuditEvent("SurveyReminderSent", new { survey.Data.Wave, respondent = due.Id, reminder = due.Reminders + 1 }));
        }

        return new Change(events, mails);
    }

    /// <summary>System work on one survey: skipped when no longer due; a concurrent change leaves it for the next sweep.</summary>
    private async Task TryAsync(StoredAggregate<SurveyData> stored, Func<Survey, bool> due, Func<Survey, Task<Change>> act, CancellationToken cancellationToken)
    {
        var survey = new Survey(stored.State);
        if (!due(survey))
        {
            return;
        }

        try
        {
            var change = await act(survey);
            await surveys.SaveAsync(stored, survey, SystemActor, change, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            logger.LogInformation("Survey {Survey} changed during the sweep; the next sweep picks it up.", stored.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One survey that cannot be processed must not hold up every survey after it; it is retried next sweep.
            logger.LogError(e, "Survey {Survey} could not be processed in the follow-up sweep; retrying next sweep.", stored.Id);
        }
    }
}

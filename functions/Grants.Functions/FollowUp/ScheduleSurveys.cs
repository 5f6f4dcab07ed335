using Grants.Domain.FollowUp;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.Extensions.Options;

namespace Grants.Functions.FollowUp;

/// <summary>
/// The follow-up of winners and losers alike: once the draw is published, one survey per pool unit and wave, all
/// opening on the same dates after the draw. Safe to repeat: a survey scheduled already is left as it is.
/// </summary>
public sealed class ScheduleSurveysHandler(CommandExecutor commands, SurveyStore surveys, IOptions<FollowUpOptions> options)
{
    /// <summary>Who the follow-up's own work (scheduling, invitations, reminders, closing) is recorded as.</summary>
    public const string SystemActor = "system:follow-up";

    public async Task HandleAsync(RoundData round, FrozenPool pool, DateTimeOffset drawnAt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var months = round.Configuration.FollowUpWaveMonths;
        var waves = Enumerable.Range(1, months.Count).Select(wave => (Wave: wave, Opens: drawnAt.AddMonths(months[wave - 1])));
        await Fanout.ForEachAsync(waves.SelectMany(wave => pool.Entries.Select(entry => (wave.Wave, wave.Opens, Entry: entry))), (scheduled, ct) =>
        {
            var survey = Survey.Schedule(round.Id, scheduled.Entry.ApplicationId, scheduled.Entry.Id, scheduled.Wave, scheduled.Opens,
                scheduled.Opens.AddDays(7 * settings.WaveWeeks), settings.ReminderDays, settings.MaxReminders);
            // One that exists already (a retried schedule) is refused as existing, which is what is wanted.
            return commands.CreateAsync(surveys, survey.Data.Id, SystemActor, () => SurveyStore.Creation(survey,
                new PendingAuditEvent("SurveyScheduled", new { survey.Data.Wave, survey.Data.OpensAt, survey.Data.ClosesAt })), ct);
        }, cancellationToken);
    }
}

/// <summary>A published draw (<see cref="RoundEvents.DrawPublished"/>) starts the follow-up of its frozen pool.</summary>
public sealed class ScheduleSurveysOnDrawPublished(RoundStore rounds, PoolStore pools, ScheduleSurveysHandler schedule) : IEventSubscriber
{
    public string Event => RoundEvents.DrawPublished;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        // The round as it is now: a draw set aside since has no follow-up of its own.
        if (await rounds.FindAsync(delivery.AggregateId, cancellationToken) is { State.LotteryState.Draw: { PublishedAt: not null } draw } round)
        {
            await schedule.HandleAsync(round.State, await pools.ReadAsync(round.State, cancellationToken), draw.DrawnAt, cancellationToken);
        }
    }
}

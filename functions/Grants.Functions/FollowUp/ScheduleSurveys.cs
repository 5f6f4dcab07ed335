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
/// The follow-up of winners and losers alike: as a published draw tells each pool unit its outcome, the unit gets one
/// survey per wave, all opening on the same dates after the draw. Safe to repeat: a survey scheduled already is left as it is.
/// </summary>
public sealed class ScheduleSurveysHandler(CommandExecutor commands, SurveyStore surveys, IOptions<FollowUpOptions> options) : IPoolFollowUp
{
    /// <summary>Who the follow-up's own work (scheduling, invitations, reminders, closing) is recorded as.</summary>
    public const string SystemActor = "system:follow-up";

    public async Task ScheduleAsync(RoundData round, string applicationId, string poolId, DateTimeOffset drawnAt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var months = round.Configuration.FollowUpWaveMonths;
        for (var wave = 1; wave <= months.Count; wave++)
        {
            var opens = drawnAt.AddMonths(months[wave - 1]);
            var survey = Survey.Schedule(round.Id, applicationId, poolId, wave, opens, opens.AddDays(7 * settings.WaveWeeks), settings.ReminderDays, settings.MaxReminders);
            // One that exists already (a retried schedule) is refused as existing, which is what is wanted.
            await commands.CreateAsync(surveys, survey.Data.Id, SystemActor, () => SurveyStore.Creation(survey,
                new PendingAuditEvent("SurveyScheduled", new { survey.Data.Wave, survey.Data.OpensAt, survey.Data.ClosesAt })), cancellationToken);
        }
    }
}

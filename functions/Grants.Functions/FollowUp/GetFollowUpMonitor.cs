using Grants.Contracts.FollowUp;
using Grants.Domain.FollowUp;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.FollowUp;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("Follow-up response by wave and arm, with an alert on differential attrition", Tag = "Follow-up", Response = typeof(FollowUpMonitorResponse))]
public sealed class GetFollowUpMonitor(RequestGate gate, GetFollowUpMonitorHandler handler)
{
    [Function(nameof(GetFollowUpMonitor))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/follow-up")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetFollowUpMonitor>(request, async (_, ct) => (await handler.HandleAsync(roundId, ct)).Ok(monitor => monitor), cancellationToken);
}

/// <summary>
/// Response rates by wave and arm while a wave runs. When winners and losers answer at rates that differ
/// by more than the configured threshold, the comparison risks being tilted (docs/design.md §5, attrition):
/// the monitor raises an alert (also logged as a warning, for alert rules in Azure Monitor).
/// </summary>
public sealed class GetFollowUpMonitorHandler(RoundStore rounds, ProtocolStore protocols, SurveyStore surveys, IOptions<FollowUpOptions> options, ILogger<GetFollowUpMonitorHandler> logger)
{
    public async Task<Result<FollowUpMonitorResponse>> HandleAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } round)
        {
            return RoundStore.NotFound(roundId);
        }

        if (round.State.LotteryState.Draw is not { PublishedAt: not null } draw)
        {
            return new FollowUpMonitorResponse(roundId, []);
        }

        var winners = (await protocols.ReadAsync(roundId, draw.ProtocolHash, cancellationToken)).InitiallySelected().ToHashSet();
        var threshold = options.Value.DifferentialAttritionThreshold;
        var waves = new List<WaveMonitorResponse>();
        foreach (var wave in (await surveys.OfRoundAsync(roundId, cancellationToken)).Select(s => s.State).GroupBy(s => s.Wave).OrderBy(g => g.Key))
        {
            ArmResponse Arm(bool won)
            {
                var units = wave.Where(s => winners.Contains(s.UnitId) == won).ToList();
                var invited = units.Count(s => s.OpenedAt is not null);
                var responded = units.Count(s => s.Status != SurveyStatus.Withdrawn && s.Primary?.SubmittedAt is not null);
                return new ArmResponse(units.Count, invited, responded, invited == 0 || units.Count == 0 ? null : responded / (double)units.Count);
            }

            var (treatment, control) = (Arm(true), Arm(false));
            var differential = treatment.Rate - control.Rate;
            var alert = differential is { } d && Math.Abs(d) > threshold;
            if (alert)
            {
                logger.LogWarning("Differential attrition in round {Round}, wave {Wave}: winners {Winners:P1}, losers {Losers:P1} (threshold {Threshold:P0})",
                    roundId, wave.Key, treatment.Rate, control.Rate, threshold);
            }

            waves.Add(new WaveMonitorResponse(wave.Key, wave.Min(s => s.OpensAt), wave.Max(s => s.ClosesAt), treatment, control, differential, threshold, alert));
        }

        return new FollowUpMonitorResponse(roundId, waves);
    }
}

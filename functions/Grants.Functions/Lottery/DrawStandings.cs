using Grants.Domain.Applications;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>
/// An applicant's standing in the draw as the round's current protocol states it
/// (<see cref="Application.CurrentOutcome"/>). Deriving it keeps one source of truth: a cut-off change
/// writes one new version instead of a record per reserve entry behind it. It costs a read of the round
/// and, once the cut-off has moved, of the current version, which <see cref="ProtocolStore"/> keeps replayed.
/// </summary>
public sealed class DrawStandings(RoundStore rounds, ProtocolStore protocols) : Applications.IDrawStandings
{
    public async Task<DrawOutcome?> CurrentAsync(ApplicationData application, CancellationToken cancellationToken)
    {
        if (application.Outcome is not { } stored
            || await rounds.FindAsync(application.RoundId, cancellationToken) is not { State.LotteryState.Draw: { PublishedAt: not null } draw }
            || draw.ProtocolHash == stored.ProtocolHash)
        {
            return application.Outcome;
        }

        var current = await protocols.ReadAsync(application.RoundId, draw.ProtocolHash, cancellationToken);
        return new Application(application).CurrentOutcome(current, draw.ProtocolHash);
    }
}

using Grants.Contracts.Lottery;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Lottery;

/// <summary>How a round's lottery, its balance check, its verification and a move of its cut-off are shown through the API.</summary>
public static class LotteryResponses
{
    /// <summary>The lottery's state after a command, with the round's ETag.</summary>
    public static LotteryStatusResponse From(StoredAggregate<RoundData> stored) => Status(stored.State);

    public static LotteryStatusResponse Status(RoundData round)
    {
        var lottery = round.LotteryState;
        static DrawResponse Draw(DrawRecord d) => new(d.ProtocolHash, d.DrawnAt, d.DrawNeeded, d.SupersededReason, d.HeldForBalance, d.PublishedAt, d.PublicationNote);
        return new LotteryStatusResponse(round.Id, round.Status.ToString(),
            [.. lottery.Commitments.Select(c => new CommitmentResponse(c.Party, c.Commitment, c.PostedAt, lottery.Reveals.Any(r => r.Party == c.Party)))],
            lottery.Draw is { } draw ? Draw(draw) : null,
            [.. lottery.Superseded.Select(Draw)]);
    }

    public static BalanceReportResponse Balance(string roundId, BalanceReport report) =>
        new(roundId, report.Threshold, report.HoldsPublication,
            [.. report.Groups.Select(g => new BalanceGroupResponse(g.Dimension, g.Group, g.Units, g.Selected, g.Expected, g.Z, g.Surprising))]);

    public static VerificationResponse Verification(string roundId, string protocolHash, ProtocolVerification verification) =>
        new(roundId, protocolHash, verification.Verified, verification.FirstMismatch);

    /// <summary>What a move of the cut-off does to the selection and the control group, and the protocol it was saved as, once it was.</summary>
    public static CutoffChangeResponse CutoffChange(CutoffMove move) =>
        new(move.ProtocolHash is not null, move.NewlySelected, move.SelectedBefore, move.SelectedAfter, move.ReserveBefore, move.ReserveAfter, move.MinimumControlGroup,
            ControlGroup.MinimumDetectableEffect(move.SelectedBefore, move.ReserveBefore), ControlGroup.MinimumDetectableEffect(move.SelectedAfter, move.ReserveAfter), move.ProtocolHash);
}

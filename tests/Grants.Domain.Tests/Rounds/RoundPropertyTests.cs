using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;

namespace Grants.Domain.Tests.Rounds;

/// <summary>
/// A round's life and its lottery (docs/design.md §2.5, §3) as a property: random sequences of
/// reconfiguration (valid and not), opening (also after the closing time), closing, asking for the pool's
/// freeze (twice too) and completing it (refused for undecided applications too), seed commitments (well-formed and not, twice by one party, after
/// the close), reveals (of the right seed, a wrong one, by a party that never committed), draws (asked for, twice too, and recorded, held
/// for the balance check or published), confirmations, cut-off changes, re-draws and the later stages,
/// with time moving forward and back. After every step the status is one the machine can reach and one
/// the command's trigger leads to; a refused command changes nothing; the configuration is frozen once
/// the round opens; the pool is frozen and the draw recorded only as asked for (the draw
/// at the moment asked), a refused freeze says why, and the pool, once frozen,
/// never changes; no seed is revealed before the pool is
/// frozen, and each revealed seed matches its party's commitment; a draw has every committed seed
/// revealed; a published draw is never set aside and stays published; set-aside draws and protocol
/// versions are only ever added to; decisions start only on a published draw; an evaluated round
/// changes no more, except that the protocol may still move its cut-off.
/// </summary>
public sealed class RoundPropertyTests
{
    private static readonly StateMachineGraph Machine = StateMachineGraph.Parse(Round.Diagram());

    private static readonly string[] Parties = [Round.MinistryParty, "notary", "stranger"];

    private static readonly byte[][] Seeds = [.. Parties.Select(p => SHA256.HashData(Encoding.UTF8.GetBytes($"seed of {p}")))];

    /// <summary>Ways through the round; each sequence starts some way along one of them, so that the lottery's late states are reached often.</summary>
    private static readonly Step[][] Paths =
    [
        [
            new(Command.CommitSeed, 0, 1), new(Command.CommitSeed, 1, 1), new(Command.Open, 0, 5), new(Command.Close, 0, 30), new(Command.RequestPoolFreeze, 0, 1), new(Command.CompletePoolFreeze, 0, 0),
            new(Command.RevealSeed, 0, 1), new(Command.RevealSeed, 1, 0), new(Command.RequestDraw, 0, 0), new(Command.RecordDraw, 0, 0), new(Command.StartDecisions, 0, 1),
            new(Command.CompleteDecisions, 0, 30), new(Command.StartFollowUp, 0, 30), new(Command.CompleteEvaluation, 0, 30),
        ],
        [
            new(Command.CommitSeed, 0, 1), new(Command.Open, 0, 6), new(Command.Close, 0, 30), new(Command.RequestPoolFreeze, 0, 1), new(Command.CompletePoolFreeze, 0, 0), new(Command.RevealSeed, 0, 1),
            new(Command.RequestDraw, 0, 0), new(Command.RecordDraw, 1, 0), new(Command.Redraw, 0, 1), new(Command.CommitSeed, 0, 1), new(Command.RevealSeed, 0, 1),
            new(Command.RequestDraw, 0, 1), new(Command.RequestDraw, 0, 0), new(Command.RecordDraw, 1, 0),
            new(Command.ConfirmPublication, 0, 1), new(Command.RecordCutoffChange, 0, 1),
        ],
    ];

    private static readonly Gen<Step[]> Sequences =
        Gen.Select(
            Gen.Int[0, Paths.Length - 1].SelectMany(path => Gen.Int[0, Paths[path].Length].Select(length => Paths[path][..length])),
            Gen.Select(Gen.Enum<Command>(), Gen.Int[0, 5], Gen.Int[-2, 12], (c, p, d) => new Step(c, p, d)).Array[1, 30],
            (start, steps) => start.Concat(steps).ToArray());

    private enum Command
    {
        Configure,
        Open,
        Close,
        MarkClosureNoticesSent,
        RequestPoolFreeze,
        CompletePoolFreeze,
        CommitSeed,
        RevealSeed,
        RequestDraw,
        RecordDraw,
        ConfirmPublication,
        RecordCutoffChange,
        Redraw,
        StartDecisions,
        CompleteDecisions,
        StartFollowUp,
        CompleteEvaluation,
    }

    [Fact]
    public void NoCommandSequenceBreaksTheWorkflowOrTheLottery()
    {
        Sequences.Sample(steps =>
        {
            var round = Round.Create("round-0123456789ab", Builders.Scheme, "ESF-E 2008", Builders.Esf2008());
            var now = Builders.Opens.AddDays(-7);
            foreach (var step in steps)
            {
                now = now.AddDays(step.Days);
                AggregateStep.Check(Machine, step, () => round.Data, d => d.Status, () => Apply(round, step, now), Broken);
            }
        }, iter: 2_000, threads: 1); // a failure prints the seed that reproduces it
    }

    private static string? Broken(RoundData before, RoundData after)
    {
        if (before.Status != RoundStatus.Draft && AggregateStep.Json(after.Configuration) != AggregateStep.Json(before.Configuration))
        {
            return "the configuration changed after the round opened";
        }

        if (before.ClosedAt is not null && after.ClosedAt != before.ClosedAt)
        {
            return "the closing time changed once the round had closed";
        }

        if (before.PoolHash is not null && (after.PoolHash != before.PoolHash || after.PoolSize != before.PoolSize || after.PoolFrozenAt != before.PoolFrozenAt))
        {
            return "the frozen pool changed";
        }

        if (after.PoolHash is not null && before.PoolHash is null && (before.Status != RoundStatus.PoolFreezing || after.PoolFreezeRequestedAt != before.PoolFreezeRequestedAt))
        {
            return "a pool frozen without a request to freeze it";
        }

        if (before.Status == RoundStatus.PoolFreezing && after.Status == RoundStatus.Closed && string.IsNullOrWhiteSpace(after.PoolFreezeRefusal))
        {
            return "a freeze refused without its reason";
        }

        var lottery = after.LotteryState;
        if (lottery.Reveals.Count > 0 && after.PoolHash is null)
        {
            return "a seed revealed before the pool was frozen";
        }

        if (lottery.Reveals.Any(r => lottery.Commitments.SingleOrDefault(c => c.Party == r.Party) is not { } c || LotteryDraw.Commitment(Convert.FromHexString(r.Seed)) != c.Commitment)
            || lottery.Reveals.Select(r => r.Party).Distinct().Count() != lottery.Reveals.Count
            || lottery.Commitments.Select(c => c.Party).Distinct().Count() != lottery.Commitments.Count)
        {
            return "a revealed seed without its party's matching commitment, or a party twice";
        }

        if ((lottery.Draw is null) != (after.Status is < RoundStatus.Drawn))
        {
            return "a draw before the round was drawn, or a drawn round without one";
        }

        if (lottery.Draw is not null && before.LotteryState.Draw is null
            && (lottery.Reveals.Count != lottery.Commitments.Count || lottery.Commitments.All(c => c.Party != Round.MinistryParty)))
        {
            return "a draw without every committed seed revealed, or without the ministry's";
        }

        if (lottery.Draw is { } recorded && before.LotteryState.Draw is null
            && (before.Status != RoundStatus.Drawing || before.DrawRequestedAt is not { } asked || recorded.DrawnAt != asked))
        {
            return "a draw recorded without a request for it, or drawn at another moment than the one asked";
        }

        if (after.Status == RoundStatus.Drawing && (after.DrawRequestedAt is null || after.LotteryState.Reveals.Count != after.LotteryState.Commitments.Count))
        {
            return "a draw asked for without its moment, or before every committed seed was revealed";
        }

        if (before.LotteryState.Draw is { PublishedAt: not null } published && lottery.Draw?.PublishedAt != published.PublishedAt)
        {
            return "a published draw was set aside or unpublished";
        }

        var superseded = before.LotteryState.Superseded;
        if (!superseded.SequenceEqual(lottery.Superseded.Take(superseded.Count)) || lottery.Superseded.Any(d => d.PublishedAt is not null || string.IsNullOrWhiteSpace(d.SupersededReason)))
        {
            return "a set-aside draw was forgotten or changed, was published, or has no reason";
        }

        var versions = before.LotteryState.ProtocolVersions ?? [];
        if (!versions.SequenceEqual((lottery.ProtocolVersions ?? []).Take(versions.Count)))
        {
            return "an earlier protocol version was forgotten";
        }

        if (after.Status >= RoundStatus.Deciding && lottery.Draw is not { PublishedAt: not null })
        {
            return "decisions on a draw that is not published";
        }

        if (Machine.IsTerminal(before.Status.ToString())
            && AggregateStep.Json(after with { Lottery = before.Lottery, ClosureNoticesSent = before.ClosureNoticesSent }) != AggregateStep.Json(before))
        {
            return $"an {before.Status} round changed other than by a cut-off change";
        }

        return null;
    }

    private static IReadOnlyList<string[]> Apply(Round round, Step step, DateTimeOffset now)
    {
        var party = step.Pick % Parties.Length;
        switch (step.Command)
        {
            case Command.Configure:
                round.Configure(Builders.Esf2008() with { BudgetCeilingCents = step.Pick == 5 ? 0 : (step.Pick + 1) * 1_000_000_00 });
                return [["Configure"]];
            case Command.Open:
                round.Open(Builders.Scheme, now);
                return [["Open"]];
            case Command.Close:
                // Closing a closed round finds the work done: no transition, and (by the invariants) nothing changed.
                return round.Close(now) ? [["Close"]] : [];
            case Command.MarkClosureNoticesSent:
                round.MarkClosureNoticesSent();
                return [];
            case Command.RequestPoolFreeze:
                // Asking again while it is being frozen, or once it is, finds it asked for: no transition, nothing changed.
                return round.RequestPoolFreeze(now) ? [["RequestPoolFreeze"]] : [];
            case Command.CompletePoolFreeze:
                return round.CompletePoolFreeze(step.Pick == 5 ? 1 : 0, step.Pick == 4 ? 1 : 0, Convert.ToHexStringLower(SHA256.HashData([(byte)step.Pick])), 10 + step.Pick, now) is null
                    ? [["FreezePool"]]
                    : [["RefusePoolFreeze"]];
            case Command.CommitSeed:
                round.CommitSeed(Parties[step.Pick % 2], step.Pick < 4 ? LotteryDraw.Commitment(Seeds[step.Pick % 2]) : "not-a-commitment", "ministry-anna", now);
                return [];
            case Command.RevealSeed:
                round.RevealSeed(Parties[party], step.Pick < 3 ? Seeds[party] : Seeds[(party + 1) % Seeds.Length], now);
                return [];
            case Command.RequestDraw:
                // Asking again while it is being drawn finds it asked for: no transition, nothing changed.
                return round.RequestDraw(now) ? [["RequestDraw"]] : [];
            case Command.RecordDraw:
                round.RecordDraw($"protocol-{now.Ticks}", drawNeeded: true, holdForBalance: step.Pick % 2 == 1);
                return [["RecordDraw"]];
            case Command.ConfirmPublication:
                round.ConfirmPublication(step.Pick == 5 ? " " : "The imbalance is by chance: 3 of 40 sectors.", now);
                return [];
            case Command.RecordCutoffChange:
                // A top-up or a release, selecting someone or not, leaving a control group above or below the minimum (30), confirmed or not.
                round.RecordCutoffChange($"protocol-{now.Ticks}-{step.Pick}",
                    new CutoffChange(now, step.Pick % 2 == 0 ? "top-up" : "withdrawn", "r", "staff", null, step.Pick % 2 == 0 ? 1_000_00 : 0, [], step.Pick > 1 ? ["P-0000000001"] : []),
                    controlAfter: step.Pick * 10, smallControlGroupConfirmed: step.Pick == 2);
                return [];
            case Command.Redraw:
                round.Redraw(step.Pick == 5 ? "" : "The pool missed two eligible applications.", DateTimeOffset.UnixEpoch);
                return [["Redraw"]];
            case Command.StartDecisions:
                round.StartDecisions();
                return [["StartDecisions"]];
            case Command.CompleteDecisions:
                round.CompleteDecisions();
                return [["CompleteDecisions"]];
            case Command.StartFollowUp:
                round.StartFollowUp();
                return [["StartFollowUp"]];
            case Command.CompleteEvaluation:
                round.CompleteEvaluation();
                return [["CompleteEvaluation"]];
            default:
                throw new ArgumentOutOfRangeException(nameof(step));
        }
    }

    private sealed record Step(Command Command, int Pick, int Days);
}

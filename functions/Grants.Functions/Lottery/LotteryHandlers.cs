using Grants.Contracts.Lottery;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Lottery;

/// <summary>Commit–reveal of seeds, the draw and its write-once protocol, re-draws with a reason, and verification.</summary>
public sealed class LotteryHandlers(RoundStore rounds, PoolStore pools, LotteryResults results, ProtocolStore protocols, AnnouncementStore announcements, ProtocolVerifications verifications, IOptions<LotteryOptions> options, TimeProvider time)
{
    public async Task<IResult> CommitAsync(string roundId, CommitSeedRequest request, Caller caller, CancellationToken cancellationToken) =>
        await ChangeAsync(roundId, caller, announces: true, round =>
        {
            round.CommitSeed(PartyOf(caller), request.Commitment, caller.AuditName, time.GetUtcNow());
            return new PendingAuditEvent("SeedCommitted", new { party = PartyOf(caller), commitment = request.Commitment });
        }, cancellationToken);

    public async Task<IResult> RevealAsync(string roundId, RevealSeedRequest request, Caller caller, CancellationToken cancellationToken) =>
        await ChangeAsync(roundId, caller, announces: false, round =>
        {
            round.RevealSeed(PartyOf(caller), Convert.FromHexString(request.Seed), time.GetUtcNow());
            return new PendingAuditEvent("SeedRevealed", new { party = PartyOf(caller), seed = request.Seed.ToLowerInvariant() });
        }, cancellationToken);

    public async Task<IResult> DrawAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        if (stored.WrittenByCurrentOperation && stored.State.LotteryState.Draw is { } recorded)
        {
            // An earlier attempt of this request drew and may have stopped while telling the pool: finish that.
            await PublishIfDueAsync(stored.State, recorded, cancellationToken);
            return TypedResults.Ok(Status(stored.State)).WithETag(stored.ETag);
        }

        var round = new Round(stored.State);
        var seeds = round.SeedsToDraw();
        var pool = await pools.ReadAsync(stored.State, cancellationToken);

        // What the draw uses must stand announced before it: a commitment or freeze whose announcement was cut short is finished here.
        await announcements.AnnounceAsync(stored.State, pool.Entries.Select(e => e.Stratum), cancellationToken);
        var protocol = LotteryProtocol.Draw(roundId, pool.Entries.Select(e => new DrawEntry(e.Id, e.Stratum, e.Amount)), seeds,
            ProtocolDesign.Of(stored.State.Configuration, pool.Entries.Select(e => e.Stratum)), options.Value.Simulations, time.GetUtcNow(), round.CommittedAnalysisPlanHash);
        var protocolHash = await protocols.WriteOnceAsync(roundId, protocol, cancellationToken);

        var balance = LotteryResults.Balance(protocol, pool, options.Value.BalanceThreshold);
        round.RecordDraw(protocolHash, protocol.DrawNeeded, protocol.DrawnAt, holdForBalance: balance.HoldsPublication);
        var saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("LotteryDrawn", new
        {
            protocolHash,
            protocol.DrawNeeded,
            protocol.AnalysisPlanHash,
            selected = protocol.Selected.Count,
            reserve = protocol.Reserve.Count,
            heldForBalance = balance.HoldsPublication,
            surprising = balance.Groups.Where(g => g.Surprising),
        }), cancellationToken);
        if (!balance.HoldsPublication)
        {
            await results.PublishAsync(saved.State, protocol, protocolHash, pool, cancellationToken);
        }

        return TypedResults.Ok(Status(saved.State)).WithETag(saved.ETag);
    }

    public async Task<IResult> ConfirmPublicationAsync(string roundId, ConfirmPublicationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var saved = stored;
        if (!stored.WrittenByCurrentOperation)
        {
            var round = new Round(stored.State);
            round.ConfirmPublication(request.Note, time.GetUtcNow());
            saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("LotteryPublicationConfirmed", new { note = request.Note.Trim() }), cancellationToken);
        }

        // Also when an earlier attempt of this request confirmed and stopped while telling the pool.
        await PublishIfDueAsync(saved.State, saved.State.LotteryState.Draw!, cancellationToken);
        return TypedResults.Ok(Status(saved.State)).WithETag(saved.ETag);
    }

    /// <summary>Tells every pool member its outcome once the draw may be published; repeating it only finishes what is left.</summary>
    private async Task PublishIfDueAsync(RoundData round, DrawRecord draw, CancellationToken cancellationToken)
    {
        if (draw.PublishedAt is null)
        {
            return;
        }

        var protocol = await protocols.ReadAsync(round.Id, draw.ProtocolHash, cancellationToken);
        await results.PublishAsync(round, protocol, draw.ProtocolHash, await pools.ReadAsync(round, cancellationToken), cancellationToken);
    }

    public async Task<IResult> BalanceAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { State.LotteryState.Draw: { } draw } stored)
        {
            return NoProtocol(roundId);
        }

        var protocol = await protocols.ReadAsync(roundId, draw.ProtocolHash, cancellationToken);
        var report = LotteryResults.Balance(protocol, await pools.ReadAsync(stored.State, cancellationToken), options.Value.BalanceThreshold);
        return TypedResults.Ok(new BalanceReportResponse(roundId, report.Threshold, report.HoldsPublication,
            [.. report.Groups.Select(g => new BalanceGroupResponse(g.Dimension, g.Group, g.Units, g.Selected, g.Expected, g.Z, g.Surprising))]));
    }

    public async Task<IResult> RedrawAsync(string roundId, RedrawRequest request, Caller caller, CancellationToken cancellationToken) =>
        await ChangeAsync(roundId, caller, announces: true, round =>
        {
            var previous = round.Data.LotteryState.Draw?.ProtocolHash;
            round.Redraw(request.Reason, time.GetUtcNow());
            return new PendingAuditEvent("LotteryRedrawn", new { reason = request.Reason.Trim(), supersededProtocol = previous });
        }, cancellationToken);

    /// <summary>The public record of what was announced before each draw: the analysis plan, commitments, the pool hash with its budgets, draws set aside.</summary>
    public async Task<IResult> AnnouncementsAsync(string roundId, CancellationToken cancellationToken) =>
        await rounds.FindAsync(roundId, cancellationToken) is null
            ? ResultResponses.Problem(RoundStore.NotFound(roundId))
            : TypedResults.Text((await announcements.ReadAsync(roundId, cancellationToken)).ToJson(), "application/json");

    public async Task<IResult> StatusAsync(string roundId, CancellationToken cancellationToken) =>
        await rounds.FindAsync(roundId, cancellationToken) is { } stored ? TypedResults.Ok(Status(stored.State)) : ResultResponses.Problem(RoundStore.NotFound(roundId));

    /// <summary>
    /// The current protocol, or by <paramref name="protocolHash"/> any protocol this round published: an
    /// earlier version (before a cut-off change) or a draw set aside. Any other value — not 64 lowercase
    /// hex digits, or another round's or document's hash — names no blob.
    /// </summary>
    public async Task<IResult> ProtocolAsync(string roundId, string? protocolHash, Caller caller, CancellationToken cancellationToken)
    {
        if (protocolHash is not null && !ProtocolStore.IsHash(protocolHash))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["protocolHash"] = ["must be a protocol's hash: 64 lowercase hex digits"] });
        }

        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return NoProtocol(roundId);
        }

        var lottery = stored.State.LotteryState;
        if (lottery.Draw is { } held && HiddenFrom(caller, held))
        {
            return NotPublishedYet(roundId);
        }

        var hash = protocolHash ?? lottery.Draw?.ProtocolHash;
        var json = hash is not null && lottery.Protocols.Contains(hash) ? await protocols.ReadJsonAsync(roundId, hash, cancellationToken) : null;
        return json is null ? NoProtocol(roundId) : TypedResults.Text(json, "application/json");
    }

    public async Task<IResult> VerifyAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        var (draw, problem) = await VisibleDrawAsync(roundId, caller, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = await verifications.VerifyAsync(roundId, draw!.ProtocolHash, cancellationToken);
        return TypedResults.Ok(new VerificationResponse(roundId, draw.ProtocolHash, result.Verified, result.FirstMismatch));
    }

    /// <summary>The round's current draw, read once; while the balance check holds it, only ministry staff and auditors see it.</summary>
    private async Task<(DrawRecord? Draw, IResult? Problem)> VisibleDrawAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { State.LotteryState.Draw: { } draw })
        {
            return (null, NoProtocol(roundId));
        }

        return HiddenFrom(caller, draw) ? (draw, NotPublishedYet(roundId)) : (draw, null);
    }

    /// <summary>While the balance check holds a draw, only ministry staff and auditors see it (or anything else of the round's lottery documents).</summary>
    private static bool HiddenFrom(Caller caller, DrawRecord draw) => draw.PublishedAt is null && !caller.HasRole(Roles.Ministry) && !caller.HasRole(Roles.Auditor);

    private static IResult NotPublishedYet(string roundId) =>
        Problems.Of(ProblemKind.NotFound, $"The draw of round {roundId} is not published yet: the balance check asked ministry staff to confirm it.");

    private static string PartyOf(Caller caller) => caller.HasRole(Roles.Notary) && !caller.HasRole(Roles.Ministry) ? "notary" : Round.MinistryParty;

    private static IResult NoProtocol(string roundId) => Problems.Of(ProblemKind.NotFound, $"Round {roundId} has no lottery protocol.");

    private static LotteryStatusResponse Status(RoundData round)
    {
        var lottery = round.LotteryState;
        static DrawResponse Draw(DrawRecord d) => new(d.ProtocolHash, d.DrawnAt, d.DrawNeeded, d.SupersededReason, d.HeldForBalance, d.PublishedAt, d.PublicationNote);
        return new LotteryStatusResponse(round.Id, round.Status.ToString(),
            [.. lottery.Commitments.Select(c => new CommitmentResponse(c.Party, c.Commitment, c.PostedAt, lottery.Reveals.Any(r => r.Party == c.Party)))],
            lottery.Draw is { } draw ? Draw(draw) : null,
            [.. lottery.Superseded.Select(Draw)]);
    }

    /// <param name="announces">The change makes something public the moment it exists (a commitment, a draw set aside): announce it.</param>
    private async Task<IResult> ChangeAsync(string roundId, Caller caller, bool announces, Func<Round, PendingAuditEvent> act, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var saved = stored;
        if (!stored.WrittenByCurrentOperation) // otherwise this request's earlier attempt made the change
        {
            var round = new Round(stored.State);
            var auditEvent = act(round);
            saved = await rounds.SaveAsync(stored, round, caller.AuditName, auditEvent, cancellationToken);
        }

        if (announces)
        {
            // Also when an earlier attempt of this request stopped before announcing it.
            await announcements.AnnounceAsync(saved.State, poolStrata: null, cancellationToken);
        }

        return TypedResults.Ok(Status(saved.State)).WithETag(saved.ETag);
    }
}

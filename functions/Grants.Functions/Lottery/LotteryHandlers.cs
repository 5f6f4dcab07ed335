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
public sealed class LotteryHandlers(RoundStore rounds, PoolFreezing pools, LotteryResults results, ProtocolStore protocols, IOptions<LotteryOptions> options, TimeProvider time)
{
    public async Task<IResult> CommitAsync(string roundId, CommitSeedRequest request, Caller caller, CancellationToken cancellationToken) =>
        await ChangeAsync(roundId, caller, round =>
        {
            round.CommitSeed(PartyOf(caller), request.Commitment, caller.AuditName, time.GetUtcNow());
            return new PendingAuditEvent("SeedCommitted", new { party = PartyOf(caller), commitment = request.Commitment });
        }, cancellationToken);

    public async Task<IResult> RevealAsync(string roundId, RevealSeedRequest request, Caller caller, CancellationToken cancellationToken) =>
        await ChangeAsync(roundId, caller, round =>
        {
            round.RevealSeed(PartyOf(caller), Convert.FromHexString(request.Seed), time.GetUtcNow());
            return new PendingAuditEvent("SeedRevealed", new { party = PartyOf(caller), seed = request.Seed.ToLowerInvariant() });
        }, cancellationToken);

    public async Task<IResult> DrawAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return RoundStore.NotFound(roundId);
        }

        if (stored.WrittenByCurrentOperation && stored.State.LotteryState.Draw is { } recorded)
        {
            // An earlier attempt of this request drew and may have stopped while telling the pool: finish that.
            await PublishIfDueAsync(stored.State, recorded, cancellationToken);
            return TypedResults.Ok(Status(stored.State)).WithETag(stored.ETag);
        }

        var round = new Round(stored.State);
        var seeds = round.SeedsToDraw();
        var pool = await pools.ReadPoolAsync(stored.State, cancellationToken);
        var protocol = LotteryProtocol.Draw(roundId, pool.Entries.Select(e => new DrawEntry(e.Id, e.Stratum, e.Amount)), seeds,
            DesignOf(stored.State.Configuration, pool.Entries.Select(e => e.Stratum)), options.Value.Simulations, time.GetUtcNow());
        var protocolHash = await protocols.WriteOnceAsync(roundId, protocol, cancellationToken);

        var balance = LotteryResults.Balance(protocol, pool, options.Value.BalanceThreshold);
        round.RecordDraw(protocolHash, protocol.DrawNeeded, protocol.DrawnAt, holdForBalance: balance.HoldsPublication);
        var saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("LotteryDrawn", new
        {
            protocolHash,
            protocol.DrawNeeded,
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
            return RoundStore.NotFound(roundId);
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
        await results.PublishAsync(round, protocol, draw.ProtocolHash, await pools.ReadPoolAsync(round, cancellationToken), cancellationToken);
    }

    public async Task<IResult> BalanceAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { State.LotteryState.Draw: { } draw } stored)
        {
            return NoProtocol(roundId);
        }

        var protocol = await protocols.ReadAsync(roundId, draw.ProtocolHash, cancellationToken);
        var report = LotteryResults.Balance(protocol, await pools.ReadPoolAsync(stored.State, cancellationToken), options.Value.BalanceThreshold);
        return TypedResults.Ok(new BalanceReportResponse(roundId, report.Threshold, report.HoldsPublication,
            [.. report.Groups.Select(g => new BalanceGroupResponse(g.Dimension, g.Group, g.Units, g.Selected, g.Expected, g.Z, g.Surprising))]));
    }

    public async Task<IResult> RedrawAsync(string roundId, RedrawRequest request, Caller caller, CancellationToken cancellationToken) =>
        await ChangeAsync(roundId, caller, round =>
        {
            var previous = round.Data.LotteryState.Draw?.ProtocolHash;
            round.Redraw(request.Reason);
            return new PendingAuditEvent("LotteryRedrawn", new { reason = request.Reason.Trim(), supersededProtocol = previous });
        }, cancellationToken);

    public async Task<IResult> StatusAsync(string roundId, CancellationToken cancellationToken) =>
        await rounds.FindAsync(roundId, cancellationToken) is { } stored ? TypedResults.Ok(Status(stored.State)) : RoundStore.NotFound(roundId);

    public async Task<IResult> ProtocolAsync(string roundId, string? protocolHash, Caller caller, CancellationToken cancellationToken)
    {
        var (draw, problem) = await VisibleDrawAsync(roundId, caller, cancellationToken);
        if (problem is not null && !(draw is null && protocolHash is not null))
        {
            return problem; // a draw set aside stays readable by its hash, even when there is no current one
        }

        var json = await protocols.ReadJsonAsync(roundId, protocolHash ?? draw!.ProtocolHash, cancellationToken);
        return json is null ? NoProtocol(roundId) : TypedResults.Text(json, "application/json");
    }

    public async Task<IResult> VerifyAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        var (draw, problem) = await VisibleDrawAsync(roundId, caller, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var json = await protocols.ReadJsonAsync(roundId, draw!.ProtocolHash, cancellationToken) ?? throw new InvalidOperationException($"Protocol {draw.ProtocolHash} of round {roundId} is missing.");
        var stored = ProtocolStore.HashOf(json);
        var result = stored != draw.ProtocolHash
            ? ProtocolVerification.Mismatch($"the stored protocol's hash {stored} is not the one the round recorded ({draw.ProtocolHash})")
            : LotteryVerifier.Verify(LotteryProtocol.FromJson(json));
        return TypedResults.Ok(new VerificationResponse(roundId, draw.ProtocolHash, result.Verified, result.FirstMismatch));
    }

    /// <summary>The design as the protocol publishes it: the round's ceiling, or its budget per stratum (0 for a stratum without one).</summary>
    public static ProtocolDesign DesignOf(RoundConfiguration configuration, IEnumerable<string> poolStrata) =>
        configuration.Allocation.Strata == "none"
            ? new ProtocolDesign(configuration.Allocation.Rule, configuration.BudgetCeilingCents, null)
            : new ProtocolDesign(configuration.Allocation.Rule, null, [.. poolStrata.Distinct().Order(StringComparer.Ordinal)
                .Select(s => new StratumBudget(s, configuration.Allocation.StratumBudgets?.GetValueOrDefault(s) ?? 0))]);

    /// <summary>The round's current draw, read once; while the balance check holds it, only ministry staff and auditors see it.</summary>
    private async Task<(DrawRecord? Draw, IResult? Problem)> VisibleDrawAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { State.LotteryState.Draw: { } draw })
        {
            return (null, NoProtocol(roundId));
        }

        // Held: the draw is returned with the problem so that callers can tell "held" from "no draw".
        return draw.PublishedAt is null && !caller.HasRole(Roles.Ministry) && !caller.HasRole(Roles.Auditor)
            ? (draw, Problems.Of(ProblemKind.NotFound, $"The draw of round {roundId} is not published yet: the balance check asked ministry staff to confirm it."))
            : (draw, null);
    }

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

    private async Task<IResult> ChangeAsync(string roundId, Caller caller, Func<Round, PendingAuditEvent> act, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return RoundStore.NotFound(roundId);
        }

        if (stored.WrittenByCurrentOperation)
        {
            return TypedResults.Ok(Status(stored.State)).WithETag(stored.ETag); // this request's earlier attempt made the change
        }

        var round = new Round(stored.State);
        var auditEvent = act(round);
        var saved = await rounds.SaveAsync(stored, round, caller.AuditName, auditEvent, cancellationToken);
        return TypedResults.Ok(Status(saved.State)).WithETag(saved.ETag);
    }
}

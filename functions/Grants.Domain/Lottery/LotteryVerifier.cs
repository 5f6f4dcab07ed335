using System.Globalization;
using System.Security.Cryptography;

namespace Grants.Domain.Lottery;

/// <summary>
/// Verified; or the first thing that does not recompute (a mismatch); or a document that cannot be
/// checked at all (<see cref="Invalid"/>: a pool id twice, a stratum with two budgets).
/// </summary>
public sealed record ProtocolVerification(bool Verified, string? FirstMismatch, bool Invalid = false)
{
    public static ProtocolVerification Ok { get; } = new(true, null);

    public static ProtocolVerification Mismatch(string what) => new(false, what);

    public static ProtocolVerification Unreadable(string what) => new(false, what, Invalid: true);
}

/// <summary>
/// Recomputes a published protocol from its inputs — pool, commitments, seeds, design, number of
/// simulations — and compares every derived value, in the order docs/lottery.md describes.
/// </summary>
public static class LotteryVerifier
{
    public static ProtocolVerification Verify(LotteryProtocol protocol)
    {
        if (protocol.Problems() is [var problem, ..])
        {
            return ProtocolVerification.Unreadable(problem);
        }

        if (!LotteryProtocol.ReadableSchemaVersions.Contains(protocol.SchemaVersion))
        {
            return ProtocolVerification.Mismatch($"schemaVersion {protocol.SchemaVersion} is not one of {string.Join(", ", LotteryProtocol.ReadableSchemaVersions)}");
        }

        var pool = protocol.Pool.Select(e => new PoolEntry(e.Id, e.Stratum, e.Amount, "", "", false, default)).ToList();
        if (!protocol.Pool.Select(e => e.Id).SequenceEqual(protocol.Pool.Select(e => e.Id).Order(StringComparer.Ordinal)))
        {
            return ProtocolVerification.Mismatch("pool is not sorted by id (ordinal)");
        }

        string poolHash;
        try
        {
            poolHash = LotteryPool.Hash(LotteryPool.CanonicalJson(pool));
        }
        catch (ArgumentException e)
        {
            return ProtocolVerification.Mismatch($"pool: {e.Message}");
        }

        if (poolHash != protocol.PoolHash)
        {
            return ProtocolVerification.Mismatch($"poolHash: recomputed {poolHash}, published {protocol.PoolHash}");
        }

        // Pro rata draws nothing and takes no seeds; every other method draws with at least the ministry's.
        var drawsNothing = protocol.Design.Method == Grants.Domain.Allocation.AllocationMethod.ProRata;
        if (protocol.Seeds.Count != protocol.Commitments.Count || (protocol.Seeds.Count == 0) != drawsNothing)
        {
            return ProtocolVerification.Mismatch(drawsNothing
                ? $"seeds: pro rata draws nothing and takes no seeds; the protocol has {protocol.Seeds.Count} seeds for {protocol.Commitments.Count} commitments"
                : $"seeds: {protocol.Seeds.Count} seeds for {protocol.Commitments.Count} commitments");
        }

        var seeds = new List<byte[]>();
        for (var i = 0; i < protocol.Seeds.Count; i++)
        {
            byte[] seed;
            try
            {
                seed = Convert.FromHexString(protocol.Seeds[i]);
            }
            catch (FormatException)
            {
                return ProtocolVerification.Mismatch($"seeds[{i}] is not hex");
            }

            if (seed.Length != 32)
            {
                return ProtocolVerification.Mismatch($"seeds[{i}] is {seed.Length} bytes, not 32");
            }

            if (LotteryDraw.Commitment(seed) != protocol.Commitments[i])
            {
                return ProtocolVerification.Mismatch($"seeds[{i}] does not match commitments[{i}]");
            }

            seeds.Add(seed);
        }

        var drawKey = LotteryDraw.DrawKey(seeds, poolHash);
        if (Convert.ToHexStringLower(drawKey) != protocol.DrawKey)
        {
            return ProtocolVerification.Mismatch($"drawKey: recomputed {Convert.ToHexStringLower(drawKey)}, published {protocol.DrawKey}");
        }

        var design = protocol.Design.ToDesign();
        if (design.Rule is not (LotteryDesign.Skip or LotteryDesign.Stop) || (design.Budget is null) == (design.Strata is null))
        {
            return ProtocolVerification.Mismatch("design: a rule skip|stop and either a budget or per-stratum budgets");
        }

        if (pool.Select(e => e.Stratum).Distinct().FirstOrDefault(s => design.Strata is not null && design.Strata.All(b => b.Stratum != s)) is { } unbudgeted)
        {
            return ProtocolVerification.Mismatch($"design: no budget for stratum '{unbudgeted}'");
        }

        DrawDerivation derived;
        try
        {
            derived = LotteryProtocol.Derive(protocol.RoundId, protocol.Pool, protocol.Priorities, protocol.Design, drawKey, protocol.Simulations);
        }
        catch (ArgumentException e)
        {
            return ProtocolVerification.Mismatch(e.Message);
        }

        var order = derived.Order;
        if (order.Count != protocol.Order.Count)
        {
            return ProtocolVerification.Mismatch($"order: {protocol.Order.Count} entries for {order.Count} in the order{(derived.Excluded is { Count: > 0 } turnedDown ? $" ({turnedDown.Count} of the pool turned down)" : "")}");
        }

        for (var i = 0; i < order.Count; i++)
        {
            var (expected, published) = (order[i], protocol.Order[i]);
            if (expected.Id != published.Id || expected.Stratum != published.Stratum || expected.Score != published.Score || expected.Rank != published.Rank)
            {
                return ProtocolVerification.Mismatch(
                    $"order[{i}]: recomputed {expected.Id} ({expected.Stratum}, rank {expected.Rank}, score {expected.Score}), published {published.Id} ({published.Stratum}, rank {published.Rank}, score {published.Score})");
            }
        }

        if (derived.DrawNeeded != protocol.DrawNeeded)
        {
            return ProtocolVerification.Mismatch($"drawNeeded: recomputed {derived.DrawNeeded}, published {protocol.DrawNeeded}");
        }

        if (derived.Excluded is { } excluded && FirstDifference("excluded", excluded, protocol.Excluded ?? []) is { } notExcluded)
        {
            return ProtocolVerification.Mismatch(notExcluded);
        }

        if (derived.Lines is { } lines && FirstDifference("lines", [.. lines.Select(Describe)], [.. (protocol.Lines ?? []).Select(Describe)]) is { } line)
        {
            return ProtocolVerification.Mismatch(line);
        }

        if (derived.Shares is { } shares && FirstDifference("shares", [.. shares.Select(Describe)], [.. (protocol.Shares ?? []).Select(Describe)]) is { } share)
        {
            return ProtocolVerification.Mismatch(share);
        }

        var allocation = LotteryDraw.Allocate(order, design);
        var replayed = Replay(allocation, protocol.CutoffHistory, order, design);
        if (replayed.Mismatch is { } cutoff)
        {
            return ProtocolVerification.Mismatch(cutoff);
        }

        if (FirstDifference("selected", replayed.Selected, protocol.Selected) is { } selected)
        {
            return ProtocolVerification.Mismatch(selected);
        }

        if (FirstDifference("reserve", replayed.Reserve, protocol.Reserve) is { } reserve)
        {
            return ProtocolVerification.Mismatch(reserve);
        }

        var probabilities = derived.Probabilities;
        if (probabilities.Count != protocol.Probabilities.Count)
        {
            return ProtocolVerification.Mismatch($"probabilities: {protocol.Probabilities.Count} for a pool of {probabilities.Count}");
        }

        for (var i = 0; i < probabilities.Count; i++)
        {
            if (probabilities[i] != protocol.Probabilities[i])
            {
                var (e, p) = (probabilities[i], protocol.Probabilities[i]);
                return ProtocolVerification.Mismatch(string.Create(CultureInfo.InvariantCulture,
                    $"probabilities[{i}]: recomputed {e.Id} p={e.P} se={e.Se} ({e.Method}), published {p.Id} p={p.P} se={p.Se} ({p.Method})"));
            }
        }

        return ProtocolVerification.Ok;
    }

    /// <summary>
    /// Replays the published cut-off changes on the initial allocation with the same code that made
    /// them: each change's newly selected entries must be exactly the ones its releases and budget
    /// change select when walking down the reserve list in drawn order.
    /// </summary>
    private static (IReadOnlyList<string> Selected, IReadOnlyList<string> Reserve, string? Mismatch) Replay(
        Allocation initial, IReadOnlyList<CutoffChange> history, IReadOnlyList<RankedEntry> order, LotteryDesign design)
    {
        var state = CutoffMovement.Initial(initial);
        for (var i = 0; i < history.Count; i++)
        {
            var change = history[i];
            IReadOnlyList<string> newly;
            try
            {
                (state, newly) = CutoffMovement.Apply(state, order, design, CutoffMovement.BudgetChanges(history.Take(i + 1)), change.Stratum, change.Released);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return (state.Selected, state.Reserve, $"cutoffHistory[{i}]: {e.Message}");
            }

            if (FirstDifference($"cutoffHistory[{i}].newlySelected", newly, change.NewlySelected) is { } difference)
            {
                return (state.Selected, state.Reserve, difference);
            }
        }

        return (state.Selected, state.Reserve, null);
    }

    /// <summary>
    /// Checks a protocol against what was published before its draw — the announced commitments, pool
    /// hash and design — so that a protocol rebuilt afterwards around another seed, pool or budget
    /// fails even though it is consistent in itself. Run <see cref="Verify"/> as well: this checks only
    /// the link to the announcements.
    /// </summary>
    public static ProtocolVerification VerifyAgainst(LotteryProtocol protocol, LotteryAnnouncements announcements)
    {
        if (announcements.RoundId != protocol.RoundId)
        {
            return ProtocolVerification.Mismatch($"roundId: the protocol is for {protocol.RoundId}, the announcements for {announcements.RoundId}");
        }

        if (announcements.Pool is not { } pool)
        {
            return ProtocolVerification.Mismatch("poolHash: no pool was announced before the draw");
        }

        if (pool.At > protocol.DrawnAt)
        {
            return ProtocolVerification.Mismatch(Stamped($"poolHash: the pool was announced at {pool.At:O}, after the draw at {protocol.DrawnAt:O}"));
        }

        if (pool.PoolSize != protocol.Pool.Count)
        {
            return ProtocolVerification.Mismatch($"pool: {protocol.Pool.Count} entries, the announced pool had {pool.PoolSize}");
        }

        // The draw whose announced commitments the protocol uses; compared with the current one when none matches.
        var draw = announcements.DrawUsing(protocol.Commitments) ?? announcements.CurrentDraw;
        var announced = announcements.CommitmentsOf(draw);
        if (announced.FirstOrDefault(c => c.At > protocol.DrawnAt) is { } late)
        {
            return ProtocolVerification.Mismatch(Stamped($"commitments[{late.Index}]: {late.Party}'s commitment was announced at {late.At:O}, after the draw at {protocol.DrawnAt:O}"));
        }

        if (draw == 1 && announced.FirstOrDefault(c => c.At > pool.At) is { } afterFreeze)
        {
            return ProtocolVerification.Mismatch(Stamped($"commitments[{afterFreeze.Index}]: {afterFreeze.Party}'s commitment was announced at {afterFreeze.At:O}, after the pool froze at {pool.At:O}"));
        }

        if (pool.Design.Rule != protocol.Design.Rule)
        {
            return ProtocolVerification.Mismatch($"design.rule: the protocol has {protocol.Design.Rule}, the announced design {pool.Design.Rule}");
        }

        if (pool.Design.Method != protocol.Design.Method || pool.Design.Band != protocol.Design.Band || pool.Design.MinimumGrant != protocol.Design.MinimumGrant)
        {
            return ProtocolVerification.Mismatch($"design.method: the protocol has {protocol.Design.Method ?? "the lottery"}{BandOf(protocol.Design)}, the announced design {pool.Design.Method ?? "the lottery"}{BandOf(pool.Design)}");
        }

        // Pro rata orders by nothing: its priorities are empty (the protocol's own check), and none were announced.
        if (protocol.Priorities is { } priorities && Grants.Domain.Allocation.AllocationPriorities.Needed(protocol.Design.Method))
        {
            if (pool.PrioritiesHash is not { } announcedPriorities)
            {
                return ProtocolVerification.Mismatch("priorities: none were announced with the pool before the draw");
            }

            if (Grants.Domain.Allocation.AllocationPriorities.Hash(priorities) is var recomputed && recomputed != announcedPriorities)
            {
                return ProtocolVerification.Mismatch($"priorities: they hash to {recomputed}, the pool was announced with {announcedPriorities}");
            }
        }

        // A protocol of schema version 1 was drawn before rounds committed to an analysis plan: it claims none, so there is nothing to compare.
        string? planHash = null;
        if (protocol.SchemaVersion >= 2 || protocol.AnalysisPlanHash is not null)
        {
            if (announcements.AnalysisPlan is not { } plan)
            {
                return ProtocolVerification.Mismatch("analysisPlanHash: no analysis plan was announced before the draw");
            }

            if (HashOf(plan.Plan) is var recomputed && recomputed != plan.PlanHash)
            {
                return ProtocolVerification.Mismatch($"analysisPlan: the announced plan hashes to {recomputed ?? "nothing (it names no primary wave)"}, not to its announced planHash {plan.PlanHash}");
            }

            if (plan.CommittedAt > protocol.DrawnAt)
            {
                return ProtocolVerification.Mismatch(Stamped($"analysisPlanHash: the analysis plan was committed at {plan.CommittedAt:O}, after the draw at {protocol.DrawnAt:O}"));
            }

            planHash = plan.PlanHash;
        }

        var expected = new DrawExpectations([.. announced.Select(c => c.Commitment)], pool.PoolHash, pool.Design.Budget, pool.Design.Strata, planHash);
        return VerifyAgainst(protocol, expected, $"announced for draw {draw}");
    }

    /// <summary>The plan's hash over its canonical form; null for a plan without a primary wave, which has no canonical form.</summary>
    private static string? HashOf(Grants.Evaluation.Dataset.EvaluationDesign plan) => plan.PrimaryWave is null ? null : plan.Hash();

    /// <summary>Checks a protocol against the values a reader obtained elsewhere (each optional); see <see cref="VerifyAgainst(LotteryProtocol, LotteryAnnouncements)"/>.</summary>
    public static ProtocolVerification VerifyAgainst(LotteryProtocol protocol, DrawExpectations expected, string source = "expected")
    {
        if (expected.Commitments is { } commitments && FirstDifference("commitments", commitments, protocol.Commitments, source, "the protocol has") is { } commitment)
        {
            return ProtocolVerification.Mismatch(commitment);
        }

        if (expected.PoolHash is { } poolHash && poolHash != protocol.PoolHash)
        {
            return ProtocolVerification.Mismatch($"poolHash: {source} {poolHash}, the protocol has {protocol.PoolHash}");
        }

        if (expected.Budget is { } budget && protocol.Design.Budget != budget)
        {
            return ProtocolVerification.Mismatch(Stamped($"design.budget: {source} {budget}, the protocol has {(protocol.Design.Budget is { } b ? b : "per-stratum budgets")}"));
        }

        if (expected.StratumBudgets is { } strata)
        {
            var published = protocol.Design.Strata ?? [];
            foreach (var stratum in strata.Select(s => s.Stratum).Union(published.Select(s => s.Stratum)).Order(StringComparer.Ordinal))
            {
                var (want, have) = (strata.FirstOrDefault(s => s.Stratum == stratum)?.Budget, published.FirstOrDefault(s => s.Stratum == stratum)?.Budget);
                if (want != have)
                {
                    return ProtocolVerification.Mismatch(Stamped($"design.strata[{stratum}]: {source} {(want is { } w ? w : "no budget")}, the protocol has {(have is { } h ? h : "no budget")}"));
                }
            }
        }

        if (expected.AnalysisPlanHash is { } planHash && planHash != protocol.AnalysisPlanHash)
        {
            return ProtocolVerification.Mismatch($"analysisPlanHash: {source} {planHash}, the protocol has {protocol.AnalysisPlanHash ?? $"none (schemaVersion {protocol.SchemaVersion})"}");
        }

        return ProtocolVerification.Ok;
    }

    private static string Describe(ProtocolShare share) => $"{share.Id} granted {share.Granted}";

    private static string BandOf(ProtocolDesign design) => design.Band is { } band
        ? Stamped($" (band {(band.Size is { } size ? $"of {size} around the funding line" : $"{band.Lower} to below {band.Upper}")})")
        : design.MinimumGrant is { } minimum ? $" (minimum grant {minimum} cents)" : "";

    private static string Describe(ProtocolLine line) =>
        $"{line.Stratum}: {line.Ahead} ahead, {line.Drawn} drawn, {line.Behind} behind, {line.Excluded} turned down ({line.Why})";

    /// <summary>Names the first position where two lists of ids differ, rather than printing both.</summary>
    /// <summary>The first place two lists differ, named as the verifier reports it; null when they are the same.</summary>
    internal static string? FirstDifference(string name, IReadOnlyList<string> recomputed, IReadOnlyList<string> published, string left = "recomputed", string right = "published")
    {
        for (var i = 0; i < Math.Min(recomputed.Count, published.Count); i++)
        {
            if (recomputed[i] != published[i])
            {
                return $"{name}[{i}]: {left} {recomputed[i]}, {right} {published[i]}";
            }
        }

        return recomputed.Count == published.Count ? null
            : recomputed.Count > published.Count ? $"{name}[{published.Count}]: {left} {recomputed[published.Count]}, {right} nothing more ({published.Count} entries, not {recomputed.Count})"
            : $"{name}[{recomputed.Count}]: {left} nothing more ({recomputed.Count} entries), {right} {published[recomputed.Count]} and {published.Count - recomputed.Count - 1} more";
    }

    private static string Stamped(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

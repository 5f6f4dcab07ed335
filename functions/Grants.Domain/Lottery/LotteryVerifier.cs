using System.Globalization;
using System.Security.Cryptography;

namespace Grants.Domain.Lottery;

/// <summary>Verified, or the first thing that does not recompute.</summary>
public sealed record ProtocolVerification(bool Verified, string? FirstMismatch)
{
    public static ProtocolVerification Ok { get; } = new(true, null);

    public static ProtocolVerification Mismatch(string what) => new(false, what);
}

/// <summary>
/// Recomputes a published protocol from its inputs — pool, commitments, seeds, design, number of
/// simulations — and compares every derived value, in the order docs/lottery.md describes.
/// </summary>
public static class LotteryVerifier
{
    public static ProtocolVerification Verify(LotteryProtocol protocol)
    {
        if (protocol.SchemaVersion != LotteryProtocol.CurrentSchemaVersion)
        {
            return ProtocolVerification.Mismatch($"schemaVersion {protocol.SchemaVersion} is not {LotteryProtocol.CurrentSchemaVersion}");
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

        if (protocol.Seeds.Count != protocol.Commitments.Count || protocol.Seeds.Count == 0)
        {
            return ProtocolVerification.Mismatch($"seeds: {protocol.Seeds.Count} seeds for {protocol.Commitments.Count} commitments");
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

        var entries = protocol.Pool.Select(e => new DrawEntry(e.Id, e.Stratum, e.Amount)).ToList();
        var order = LotteryDraw.Order(drawKey, protocol.RoundId, entries);
        if (order.Count != protocol.Order.Count)
        {
            return ProtocolVerification.Mismatch($"order: {protocol.Order.Count} entries for a pool of {order.Count}");
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

        var drawNeeded = entries.GroupBy(e => e.Stratum).Any(s => !LotteryDraw.FitsBudget(s, design.BudgetOf(s.Key)));
        if (drawNeeded != protocol.DrawNeeded)
        {
            return ProtocolVerification.Mismatch($"drawNeeded: recomputed {drawNeeded}, published {protocol.DrawNeeded}");
        }

        var allocation = LotteryDraw.Allocate(order, design);
        var replayed = Replay(allocation, protocol.CutoffHistory, order, design);
        if (replayed.Mismatch is { } cutoff)
        {
            return ProtocolVerification.Mismatch(cutoff);
        }

        if (!replayed.Selected.SequenceEqual(protocol.Selected))
        {
            return ProtocolVerification.Mismatch($"selected: recomputed [{string.Join(", ", replayed.Selected)}], published [{string.Join(", ", protocol.Selected)}]");
        }

        if (!replayed.Reserve.SequenceEqual(protocol.Reserve))
        {
            return ProtocolVerification.Mismatch($"reserve: recomputed [{string.Join(", ", replayed.Reserve)}], published [{string.Join(", ", protocol.Reserve)}]");
        }

        var probabilities = AssignmentProbabilities.Compute(protocol.RoundId, entries, design, drawKey, protocol.Simulations);
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

            if (!newly.SequenceEqual(change.NewlySelected))
            {
                return (state.Selected, state.Reserve,
                    $"cutoffHistory[{i}]: recomputed newly selected [{string.Join(", ", newly)}], published [{string.Join(", ", change.NewlySelected)}]");
            }
        }

        return (state.Selected, state.Reserve, null);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grants.Domain.Lottery;

public sealed record ProtocolPoolEntry(string Id, string Stratum, long Amount);

public sealed record ProtocolOrderEntry(string Id, string Stratum, string Score, int Rank);

/// <summary>The allocation design as published: rule and one budget, or rule and a budget per stratum (euro cents).</summary>
public sealed record ProtocolDesign(
    string Rule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Budget,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StratumBudget>? Strata)
{
    public LotteryDesign ToDesign() => new(Rule, Budget, Strata);
}

/// <summary>A later change to who is selected — a budget top-up, a withdrawal, a declined award — and what moved.</summary>
/// <param name="Stratum">The stratum the budget change is for; null when the design has no strata.</param>
public sealed record CutoffChange(DateTimeOffset At, string Kind, string Reason, string By, string? Stratum, long BudgetChange, IReadOnlyList<string> Released, IReadOnlyList<string> NewlySelected);

/// <summary>
/// Everything needed to recompute a draw (design.md §4), as published. Schema:
/// contracts/schemas/lottery-protocol.schema.json. Ids are pseudonymous.
/// </summary>
public sealed record LotteryProtocol(
    int SchemaVersion,
    string RoundId,
    IReadOnlyList<ProtocolPoolEntry> Pool,
    string PoolHash,
    IReadOnlyList<string> Commitments,
    IReadOnlyList<string> Seeds,
    string DrawKey,
    ProtocolDesign Design,
    bool DrawNeeded,
    IReadOnlyList<ProtocolOrderEntry> Order,
    IReadOnlyList<string> Selected,
    IReadOnlyList<string> Reserve,
    IReadOnlyList<CutoffChange> CutoffHistory,
    int Simulations,
    IReadOnlyList<AssignmentProbability> Probabilities,
    DateTimeOffset DrawnAt)
{
    public const int CurrentSchemaVersion = 1;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Who was selected at the initial cut-off, before any top-up, withdrawal or decline moved it: the
    /// evaluation's assignment (intention to treat). <see cref="Selected"/> is the current selection.
    /// </summary>
    public IReadOnlyList<string> InitiallySelected()
    {
        var amounts = Pool.ToDictionary(p => p.Id, p => p.Amount);
        return LotteryDraw.Allocate(Order.Select(o => new RankedEntry(o.Id, o.Stratum, amounts[o.Id], o.Score, o.Rank)).ToList(), Design.ToDesign()).Selected;
    }

    /// <summary>
    /// Each reserve entry's place on its stratum's reserve list as this protocol publishes it (1 = next in
    /// line). Every cut-off change publishes a new protocol, so the place an applicant is told is read from
    /// the current one rather than kept per application.
    /// </summary>
    public IReadOnlyDictionary<string, int> ReservePositions()
    {
        var strata = Order.ToDictionary(o => o.Id, o => o.Stratum, StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in Reserve)
        {
            var stratum = strata[id];
            positions[id] = counts[stratum] = counts.GetValueOrDefault(stratum) + 1;
        }

        return positions;
    }

    /// <summary>The entry's place on its stratum's reserve list (<see cref="ReservePositions"/>), or null when it is not on it.</summary>
    public int? ReservePosition(string id) => ReservePositions().TryGetValue(id, out var place) ? place : null;

    public static LotteryProtocol FromJson(string json) =>
        JsonSerializer.Deserialize<LotteryProtocol>(json, Json) ?? throw new JsonException("The protocol is empty.");

    /// <summary>Draws: the pure function of the published inputs, written down with everything needed to check it.</summary>
    public static LotteryProtocol Draw(string roundId, IEnumerable<DrawEntry> pool, IReadOnlyList<byte[]> seeds, ProtocolDesign design, int simulations, DateTimeOffset drawnAt)
    {
        var entries = pool.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var poolHash = LotteryPool.Hash(LotteryPool.CanonicalJson(entries.Select(e => new PoolEntry(e.Id, e.Stratum, e.Amount, "", "", false, default))));
        var drawKey = LotteryDraw.DrawKey(seeds, poolHash);
        var order = LotteryDraw.Order(drawKey, roundId, entries);
        var allocation = LotteryDraw.Allocate(order, design.ToDesign());
        var drawNeeded = entries.GroupBy(e => e.Stratum).Any(s => !LotteryDraw.FitsBudget(s, design.ToDesign().BudgetOf(s.Key)));
        return new LotteryProtocol(
            CurrentSchemaVersion,
            roundId,
            [.. entries.Select(e => new ProtocolPoolEntry(e.Id, e.Stratum, e.Amount))],
            poolHash,
            [.. seeds.Select(LotteryDraw.Commitment)],
            [.. seeds.Select(Convert.ToHexStringLower)],
            Convert.ToHexStringLower(drawKey),
            design,
            drawNeeded,
            [.. order.Select(e => new ProtocolOrderEntry(e.Id, e.Stratum, e.Score, e.Rank))],
            allocation.Selected,
            allocation.Reserve,
            [],
            simulations,
            AssignmentProbabilities.Compute(roundId, entries, design.ToDesign(), drawKey, simulations),
            drawnAt);
    }
}

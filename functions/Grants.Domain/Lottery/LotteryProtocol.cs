using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grants.Domain.Lottery;

public sealed record ProtocolPoolEntry(string Id, string Stratum, long Amount);

public sealed record ProtocolOrderEntry(string Id, string Stratum, string Score, int Rank);

/// <summary>The allocation design as published: rule and one budget, or rule and a budget per stratum (euro cents).</summary>
public sealed record ProtocolDesign(
    string Rule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Budget = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StratumBudget>? Strata = null)
{
    public LotteryDesign ToDesign() => new(Rule, Budget, Strata);

    /// <summary>The design as the protocol publishes it: the round's ceiling, or its budget per stratum of the pool (0 for a stratum without one).</summary>
    public static ProtocolDesign Of(Rounds.RoundConfiguration configuration, IEnumerable<string> poolStrata) =>
        configuration.Allocation.Strata == "none"
            ? new ProtocolDesign(configuration.Allocation.Rule, configuration.BudgetCeilingCents)
            : new ProtocolDesign(configuration.Allocation.Rule, null, [.. poolStrata.Distinct().Order(StringComparer.Ordinal)
                .Select(s => new StratumBudget(s, configuration.Allocation.StratumBudgets?.GetValueOrDefault(s) ?? 0))]);
}

/// <summary>A later change to who is selected — a budget top-up, a withdrawal, a declined award — and what moved.</summary>
/// <param name="Stratum">The stratum the budget change is for; null when the design has no strata.</param>
public sealed record CutoffChange(DateTimeOffset At, string Kind, string Reason, string By, string? Stratum, long BudgetChange, IReadOnlyList<string> Released, IReadOnlyList<string> NewlySelected);

/// <summary>
/// Everything needed to recompute a draw (docs/design.md §4), as published. Schema:
/// contracts/schemas/lottery-protocol.schema.json. Ids are pseudonymous.
/// </summary>
/// <param name="AnalysisPlanHash">
/// The hash of the round's analysis plan as committed when the round opened and announced before the draw
/// (<c>EvaluationDesign.Hash</c>; docs/decisions/0013). Schema version 2 carries it; version 1 protocols,
/// drawn before rounds committed to a plan, have none.
/// </param>
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
    DateTimeOffset DrawnAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AnalysisPlanHash = null)
{
    /// <summary>Version 2 added <see cref="AnalysisPlanHash"/>; every new draw is written in it.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The versions a reader accepts: 1 (no analysis plan hash) and 2.</summary>
    public static IReadOnlyList<int> ReadableSchemaVersions { get; } = [1, CurrentSchemaVersion];

    public static JsonSerializerOptions Json { get; } = PublishedJson.Options;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// What makes a protocol unreadable before anything is recomputed, beyond what its schema says:
    /// a pool id listed twice, or a stratum given two budgets.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Pool.GroupBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            problems.Add($"pool: id {repeated.Key} appears {repeated.Count()} times; every pool id must be unique");
        }

        if (Design.Strata?.GroupBy(s => s.Stratum, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"design.strata: stratum {twice.Key} has {twice.Count()} budgets; a stratum has exactly one");
        }

        if (SchemaVersion >= 2 && AnalysisPlanHash is null)
        {
            problems.Add($"analysisPlanHash: a schemaVersion {SchemaVersion} protocol carries the hash of the analysis plan committed before the draw");
        }
        else if (SchemaVersion == 1 && AnalysisPlanHash is not null)
        {
            problems.Add("analysisPlanHash: a schemaVersion 1 protocol has none; the hash came with schemaVersion 2");
        }
        else if (AnalysisPlanHash is { } hash && (hash.Length != 64 || !hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')))
        {
            problems.Add("analysisPlanHash: must be 64 lowercase hex digits");
        }

        return problems;
    }

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

    /// <summary>Reads a protocol strictly (see <see cref="PublishedJson"/>); throws <see cref="JsonException"/> otherwise.</summary>
    public static LotteryProtocol FromJson(string json) =>
        JsonSerializer.Deserialize<LotteryProtocol>(json, Json) ?? throw new JsonException("The protocol is null.");

    /// <summary>Draws: the pure function of the published inputs, written down with everything needed to check it.</summary>
    /// <param name="analysisPlanHash">The hash of the analysis plan the round committed to before the draw; the protocol carries it.</param>
    public static LotteryProtocol Draw(string roundId, IEnumerable<DrawEntry> pool, IReadOnlyList<byte[]> seeds, ProtocolDesign design, int simulations, DateTimeOffset drawnAt, string analysisPlanHash)
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
            drawnAt,
            analysisPlanHash);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Grants.Domain.Allocation;
using Grants.Domain.Common;

namespace Grants.Domain.Lottery;

public sealed record ProtocolPoolEntry(string Id, string Stratum, long Amount);

public sealed record ProtocolOrderEntry(string Id, string Stratum, string Score, int Rank);

/// <summary>
/// The allocation design as published: rule and one budget, or rule and a budget per stratum (euro cents); and, for a
/// method other than the lottery (schema version 3), the <see cref="Method"/>, partial randomisation's <see cref="Band"/>
/// and pro rata's <see cref="MinimumGrant"/> (euro cents).
/// </summary>
public sealed record ProtocolDesign(
    string Rule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Budget = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<StratumBudget>? Strata = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Method = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProtocolBand? Band = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MinimumGrant = null)
{
    public LotteryDesign ToDesign() => new(Rule, Budget, Strata);

    /// <summary>
    /// The design as the protocol publishes it: the round's ceiling, or its budget per stratum of the pool (0 for a stratum
    /// without one); the method when it is not the lottery, and the band of partial randomisation.
    /// </summary>
    public static ProtocolDesign Of(Rounds.RoundConfiguration configuration, IEnumerable<string> poolStrata)
    {
        var allocation = configuration.Allocation;
        var design = allocation.Strata == "none"
            ? new ProtocolDesign(allocation.Rule, configuration.BudgetCeilingCents)
            : new ProtocolDesign(allocation.Rule, null, [.. poolStrata.Distinct().Order(StringComparer.Ordinal)
                .Select(s => new StratumBudget(s, allocation.StratumBudgets?.GetValueOrDefault(s) ?? 0))]);
        return allocation.Method == AllocationMethod.Lottery ? design : design with
        {
            Method = allocation.Method,
            Band = allocation.Band is { } band ? new ProtocolBand(band.Upper, band.Lower, band.Size) : null,
            MinimumGrant = allocation.MinimumGrant,
        };
    }
}

/// <summary>Partial randomisation's band as published: its scores, or its size around the funding line.</summary>
public sealed record ProtocolBand(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Upper = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Lower = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Size = null)
{
    public RandomisationBand ToBand() => new(Upper, Lower, Size);
}

/// <summary>What a method orders one pool id by (<see cref="AllocationPriorities"/>): its moment of completion or its committee score.</summary>
public sealed record ProtocolPriority(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CompletedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Score = null);

/// <summary>Pro rata: what one pool id is granted (euro cents; 0 when its share fell below the minimum grant).</summary>
public sealed record ProtocolShare(string Id, long Granted);

/// <summary>Where one stratum's funding line fell under a method other than the lottery: how many were ahead of it, drawn, behind it and turned down, and why.</summary>
public sealed record ProtocolLine(string Stratum, int Ahead, int Drawn, int Behind, int Excluded, string Why);

/// <summary>
/// What a draw derives from its published inputs under the design's method: the order, whether the draw decides anything,
/// each unit's chance, and — for a method other than the lottery — whom the method turned down and where each stratum's
/// line fell. The draw and the verifier both call <see cref="LotteryProtocol.Derive"/>.
/// </summary>
/// <param name="Shares">Pro rata: what each pool id is granted, by id; null for every other method.</param>
public sealed record DrawDerivation(
    IReadOnlyList<RankedEntry> Order, bool DrawNeeded, IReadOnlyList<AssignmentProbability> Probabilities, IReadOnlyList<string>? Excluded, IReadOnlyList<ProtocolLine>? Lines,
    IReadOnlyList<ProtocolShare>? Shares = null);

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
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AnalysisPlanHash = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProtocolPriority>? Priorities = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Excluded = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProtocolLine>? Lines = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProtocolShare>? Shares = null)
{
    /// <summary>Version 2 added <see cref="AnalysisPlanHash"/>; every new lottery is written in it.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>
    /// Version 3 is a protocol of a method other than the lottery (docs/allocation.md): the design names its method, and the
    /// protocol carries the pool's <see cref="Priorities"/>, whom the method turned down (<see cref="Excluded"/>) and each
    /// stratum's <see cref="Lines"/>; pro rata also what each is granted (<see cref="Shares"/>, its priorities empty: it orders
    /// by nothing). A lottery is still written as version 2, which every reader of it knows.
    /// </summary>
    public const int MethodSchemaVersion = 3;

    /// <summary>The versions a reader accepts: 1 (no analysis plan hash), 2 and 3.</summary>
    public static IReadOnlyList<int> ReadableSchemaVersions { get; } = [1, CurrentSchemaVersion, MethodSchemaVersion];

    public static JsonSerializerOptions Json { get; } = PublishedJson.Options;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The bytes of <see cref="ToJson"/> as UTF-8, written straight: a national protocol runs to tens of megabytes.</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

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
        else if (AnalysisPlanHash is { } hash && !Common.Sha256Hex.Is(hash))
        {
            problems.Add("analysisPlanHash: must be 64 lowercase hex digits");
        }

        var byMethod = Priorities is not null || Excluded is not null || Lines is not null || Shares is not null || Design.Method is not null || Design.Band is not null || Design.MinimumGrant is not null;
        if (SchemaVersion == MethodSchemaVersion && (Design.Method is null || Priorities is null || Excluded is null || Lines is null))
        {
            problems.Add("design.method: a schemaVersion 3 protocol names its method and carries priorities, excluded and lines");
        }
        else if (SchemaVersion < MethodSchemaVersion && byMethod)
        {
            problems.Add($"design.method: a schemaVersion {SchemaVersion} protocol is a lottery; a method, priorities, excluded and lines came with schemaVersion 3");
        }
        else if (Design.Method is { } method && (method == AllocationMethod.Lottery || !AllocationMethod.All.Contains(method)))
        {
            problems.Add($"design.method: '{method}' is not a method a protocol names (fcfs-day, ranked-tender, partial-randomisation, pro-rata; a lottery names none)");
        }
        else if (Design.Method is not null && Design.Rule != LotteryDesign.Stop)
        {
            problems.Add($"design.rule: {Design.Method} funds down its order and ends at the first request that does not fit; its rule is stop");
        }
        else if ((Design.Method == AllocationMethod.PartialRandomisation) != (Design.Band is not null))
        {
            problems.Add("design.band: partial randomisation has a band, and no other method has one");
        }
        else if (Design.Band?.ToBand().Problems().FirstOrDefault() is ({ } field, { } error))
        {
            problems.Add($"design.{field}: {error}");
        }
        else if ((Design.Method == AllocationMethod.ProRata) != (Design.MinimumGrant is not null) || (Design.Method == AllocationMethod.ProRata) != (Shares is not null))
        {
            problems.Add("design.minimumGrant: pro rata has a minimum grant and shares, and no other method has either");
        }
        else if (Design.MinimumGrant is < 1)
        {
            problems.Add("design.minimumGrant: must be at least 1 cent");
        }

        return problems;
    }

    /// <summary>For a method other than the lottery, what the evaluation needs to say which units it randomised: the method and each stratum's line.</summary>
    public Grants.Evaluation.Dataset.AllocationNote? AllocationNote() =>
        Design.Method is { } method ? new(method, [.. (Lines ?? []).Select(l => $"{l.Stratum}: {l.Why}")]) : null;

    /// <summary>
    /// Who was selected at the initial cut-off, before any top-up, withdrawal or decline moved it: the
    /// evaluation's assignment (intention to treat). <see cref="Selected"/> is the current selection.
    /// </summary>
    public IReadOnlyList<string> InitiallySelected()
    {
        var amounts = OrderAmounts();
        return LotteryDraw.Allocate(Order.Select(o => new RankedEntry(o.Id, o.Stratum, amounts[o.Id], o.Score, o.Rank)).ToList(), Design.ToDesign()).Selected;
    }

    /// <summary>
    /// The protocol as a cut-off change leaves it (<see cref="CutoffMovement"/>): the change at the end of its history, with
    /// whom it newly selects worked out here down the published order, and the selection and reserve list moved.
    /// </summary>
    /// <summary>A budget change names a stratum of this pool, or none.</summary>
    public void CheckStratum(string? stratum)
    {
        if (stratum is not null && Order.All(o => o.Stratum != stratum))
        {
            throw new DomainRuleException("stratum", $"'{stratum}' is not a stratum of this round's pool");
        }
    }

    public LotteryProtocol Moved(CutoffChange change)
    {
        var amounts = OrderAmounts();
        var order = Order.Select(o => new RankedEntry(o.Id, o.Stratum, amounts[o.Id], o.Score, o.Rank)).ToList();
        var (state, newly) = CutoffMovement.Apply(new CutoffState(Selected, Reserve), order, Design.ToDesign(),
            CutoffMovement.BudgetChanges([.. CutoffHistory, change]), change.Stratum, change.Released);
        return this with { CutoffHistory = [.. CutoffHistory, change with { NewlySelected = newly }], Selected = state.Selected, Reserve = state.Reserve };
    }

    /// <summary>
    /// The protocol with later cut-off changes replayed on it, in order (a <see cref="CutoffDocument"/>'s): each must newly
    /// select exactly whom its replay selects.
    /// </summary>
    /// <exception cref="InvalidDataException">A change does not replay: it names whom it cannot release, or selects others than its replay.</exception>
    public LotteryProtocol Extended(IReadOnlyList<CutoffChange> changes)
    {
        var protocol = this;
        for (var i = 0; i < changes.Count; i++)
        {
            LotteryProtocol moved;
            try
            {
                moved = protocol.Moved(changes[i]);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                throw new InvalidDataException($"cutoffHistory[{i}]: {e.Message}", e);
            }

            if (LotteryVerifier.FirstDifference($"cutoffHistory[{i}].newlySelected", moved.CutoffHistory[^1].NewlySelected, changes[i].NewlySelected) is { } difference)
            {
                throw new InvalidDataException(difference);
            }

            protocol = moved with { CutoffHistory = [.. protocol.CutoffHistory, changes[i]] };
        }

        return protocol;
    }

    /// <summary>
    /// What each entry of the order is funded with: its request, or under pro rata its share (only those granted one are in
    /// the order), so that the budget filled down the order is the budget the method shared out.
    /// </summary>
    public IReadOnlyDictionary<string, long> OrderAmounts() =>
        Shares is { } shares ? shares.ToDictionary(s => s.Id, s => s.Granted, StringComparer.Ordinal) : Pool.ToDictionary(p => p.Id, p => p.Amount, StringComparer.Ordinal);

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

    /// <summary>Reads a protocol from its UTF-8 bytes, as strictly as <see cref="FromJson(string)"/>.</summary>
    public static LotteryProtocol FromJson(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<LotteryProtocol>(utf8, Json) ?? throw new JsonException("The protocol is null.");

    /// <summary>
    /// Draws under the design's method: the pure function of the published inputs, written down with everything needed to
    /// check it. A lottery (no method named) is <see cref="Draw(string, IEnumerable{DrawEntry}, IReadOnlyList{byte[]}, ProtocolDesign, int, DateTimeOffset, string)"/>;
    /// another method lays each stratum out by the pool's priorities as published, so that what a reader sees is what was ordered.
    /// </summary>
    public static LotteryProtocol Draw(string roundId, IEnumerable<Candidate> pool, IReadOnlyList<byte[]> seeds, ProtocolDesign design, int simulations, DateTimeOffset drawnAt, string analysisPlanHash)
    {
        var candidates = pool.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        if (design.Method is not { } method)
        {
            return Draw(roundId, candidates.Select(c => new DrawEntry(c.Id, c.Stratum, c.Amount)), seeds, design, simulations, drawnAt, analysisPlanHash);
        }

        var entries = candidates.Select(c => new ProtocolPoolEntry(c.Id, c.Stratum, c.Amount)).ToList();
        var poolHash = LotteryPool.Hash(LotteryPool.CanonicalJson(entries.Select(e => new PoolEntry(e.Id, e.Stratum, e.Amount, "", "", false, default))));
        var drawKey = LotteryDraw.DrawKey(seeds, poolHash);
        IReadOnlyList<ProtocolPriority> priorities = AllocationPriorities.Needed(method) ? AllocationPriorities.Of(method, candidates) : [];
        var derived = Derive(roundId, entries, priorities, design, drawKey, simulations);
        var allocation = LotteryDraw.Allocate(derived.Order, design.ToDesign());
        return new LotteryProtocol(
            MethodSchemaVersion, roundId, entries, poolHash,
            [.. seeds.Select(LotteryDraw.Commitment)], [.. seeds.Select(Convert.ToHexStringLower)], Convert.ToHexStringLower(drawKey),
            design, derived.DrawNeeded,
            [.. derived.Order.Select(e => new ProtocolOrderEntry(e.Id, e.Stratum, e.Score, e.Rank))],
            allocation.Selected, allocation.Reserve, [], simulations, derived.Probabilities, drawnAt, analysisPlanHash,
            priorities, derived.Excluded, derived.Lines, derived.Shares);
    }

    /// <summary>
    /// The order, the need for a draw and the chances (and, for a method, whom it turned down and where its lines fell) that
    /// the published inputs determine: the lottery's (docs/design.md §4) when the design names no method, else each stratum
    /// laid out by its method (<see cref="AllocationLayout"/>) and drawn, filled and weighed by <see cref="AllocationDraw"/>.
    /// Throws <see cref="ArgumentException"/> when the priorities do not fit the pool.
    /// </summary>
    public static DrawDerivation Derive(string roundId, IReadOnlyList<ProtocolPoolEntry> pool, IReadOnlyList<ProtocolPriority>? priorities, ProtocolDesign design, byte[] drawKey, int simulations)
    {
        var lottery = design.ToDesign();
        if (design.Method is not { } method)
        {
            var entries = pool.Select(e => new DrawEntry(e.Id, e.Stratum, e.Amount)).ToList();
            return new DrawDerivation(
                LotteryDraw.Order(drawKey, roundId, entries),
                entries.GroupBy(e => e.Stratum).Any(s => !LotteryDraw.FitsBudget(s, lottery.BudgetOf(s.Key))),
                AssignmentProbabilities.Compute(roundId, entries, lottery, drawKey, simulations), null, null);
        }

        if (method == AllocationMethod.ProRata)
        {
            return DeriveProRata(roundId, pool, priorities, design, drawKey);
        }

        var layouts = AllocationPriorities.Candidates(method, pool, priorities).GroupBy(c => c.Stratum).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Layout(design, g.Key, [.. g], lottery.BudgetOf(g.Key))).ToList();
        return new DrawDerivation(
            [.. layouts.SelectMany(l => AllocationDraw.Order(drawKey, roundId, l))],
            layouts.Any(l => l.Drawn.Count > 1 && l.Drawn.Sum(c => c.Amount) > l.MoneyForDrawn),
            [.. layouts.SelectMany(l => AllocationDraw.Chances(roundId, l, drawKey, simulations))],
            [.. layouts.SelectMany(l => l.Excluded.Select(c => c.Id))],
            [.. layouts.Select(l => new ProtocolLine(l.Stratum, l.Ahead.Count, l.Drawn.Count, l.Behind.Count, l.Excluded.Count, l.Why))]);
    }

    /// <summary>
    /// Pro rata, per stratum (<see cref="ProRata.Allocate"/>): the order is those granted a share, by id, each funded with its
    /// share (so the whole order fits and is selected); their chance is exactly 1, that of those whose share fell below the
    /// minimum grant (turned down) exactly 0. Nothing is drawn: the scores are the draw key's as every order carries them.
    /// </summary>
    private static DrawDerivation DeriveProRata(string roundId, IReadOnlyList<ProtocolPoolEntry> pool, IReadOnlyList<ProtocolPriority>? priorities, ProtocolDesign design, byte[] drawKey)
    {
        if (priorities is not { Count: 0 })
        {
            throw new ArgumentException("priorities: pro rata orders by nothing; its priorities are an empty list");
        }

        var floor = design.MinimumGrant ?? throw new ArgumentException("design.minimumGrant: pro rata needs its minimum grant");
        var lottery = design.ToDesign();
        var (order, chances, excluded, lines, shares) = (new List<RankedEntry>(), new List<AssignmentProbability>(), new List<string>(), new List<ProtocolLine>(), new List<ProtocolShare>());
        foreach (var stratum in pool.GroupBy(e => e.Stratum).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var budget = lottery.BudgetOf(stratum.Key);
            var outcome = ProRata.Allocate([.. stratum.Select(e => new Candidate(e.Id, e.Stratum, e.Amount))], budget, floor);
            var granted = outcome.Shares.Where(s => s.Granted > 0).ToList();
            var dropped = outcome.Shares.Where(s => s.Granted == 0).ToList();
            order.AddRange(granted.Select((g, i) => new RankedEntry(g.Id, stratum.Key, g.Granted, Convert.ToHexStringLower(LotteryDraw.Score(drawKey, roundId, stratum.Key, g.Id)), i + 1)));
            chances.AddRange(granted.Select(g => new AssignmentProbability(g.Id, 1, 0, ProRata.Granted)));
            chances.AddRange(dropped.Select(d => new AssignmentProbability(d.Id, 0, 0, ProRata.BelowMinimum)));
            excluded.AddRange(dropped.Select(d => d.Id));
            shares.AddRange(outcome.Shares.Select(s => new ProtocolShare(s.Id, s.Granted)));
            lines.Add(new ProtocolLine(stratum.Key, granted.Count, 0, 0, dropped.Count, ProRata.Describe(outcome, budget)));
        }

        return new DrawDerivation(order, false, chances, excluded, lines, [.. shares.OrderBy(s => s.Id, StringComparer.Ordinal)]);
    }

    private static StratumLayout Layout(ProtocolDesign design, string stratum, IReadOnlyList<Candidate> candidates, long budget) => design.Method switch
    {
        AllocationMethod.FirstComeFirstServedByDay => AllocationLayout.FirstComeFirstServedByDay(stratum, candidates, budget),
        AllocationMethod.RankedTender => AllocationLayout.RankedTender(stratum, candidates, budget),
        AllocationMethod.PartialRandomisation => AllocationLayout.PartialRandomisation(stratum, candidates, budget,
            design.Band?.ToBand() ?? throw new ArgumentException("design.band: partial randomisation needs its band")),
        var other => throw new ArgumentException($"design.method: '{other}' is not a method this reader knows"),
    };

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

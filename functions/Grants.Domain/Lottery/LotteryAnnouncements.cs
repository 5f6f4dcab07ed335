using System.Text.Json;
using Grants.Domain.Rounds;
using Grants.Evaluation.Dataset;

namespace Grants.Domain.Lottery;

/// <summary>A party's seed commitment as announced when it was posted: for which draw of the round, in which place of that draw's commitment order.</summary>
/// <param name="Draw">1 for the round's first draw; a re-draw after a draw was set aside takes new commitments under the next number.</param>
/// <param name="Index">The place in the draw's commitment order, from 0: the order in which the seeds enter the draw key.</param>
public sealed record AnnouncedCommitment(int Draw, int Index, string Party, string Commitment, DateTimeOffset At);

/// <summary>
/// The frozen pool as announced at the freeze: its hash and size, the design (rule and budgets, and any method other than
/// the lottery) the draw will fill it with, and for such a method the hash of what it orders the pool by
/// (<see cref="Grants.Domain.Allocation.AllocationPriorities"/>), fixed before any seed is revealed.
/// </summary>
public sealed record AnnouncedPool(
    string PoolHash, int PoolSize, ProtocolDesign Design, DateTimeOffset At,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? PrioritiesHash = null);

/// <summary>A draw that was set aside before publication (held by the balance check), with the reason given.</summary>
public sealed record AnnouncedSetAside(int Draw, string ProtocolHash, string Reason, DateTimeOffset At);

/// <summary>
/// The round's analysis plan as committed when the round opened: the plan, its hash (<see cref="EvaluationDesign.Hash"/>,
/// SHA-256 of its canonical form), which every draw's protocol carries, and when it was committed. Amendments
/// after the draw are recorded with the round, not here: this is what was fixed before the draw.
/// </summary>
public sealed record AnnouncedAnalysisPlan(string PlanHash, EvaluationDesign Plan, DateTimeOffset CommittedAt)
{
    /// <summary>The plan a round commits to, from its stored state alone (so that writing it again writes the same bytes); null before the round opens.</summary>
    public static AnnouncedAnalysisPlan? Of(RoundData round) =>
        round.AnalysisPlan is { } record ? new AnnouncedAnalysisPlan(record.Hash, record.Plan, record.CommittedAt) : null;
}

/// <summary>
/// What a round published about its lottery before each draw, every item written once when it came
/// to exist: the analysis plan (when the round opened), seed commitments (before the round closed, or
/// before a re-draw), the pool hash with the budget per stratum (at the freeze) and any draw set aside.
/// A protocol is checked against these, so that a draw rebuilt afterwards around another seed, pool,
/// budget or plan cannot verify. Schema: contracts/schemas/lottery-announcements.schema.json.
/// </summary>
/// <param name="AnalysisPlan">
/// The analysis plan committed when the round opened (schema version 2); null for a round opened before
/// rounds committed to a plan and drawn before this was announced. Version 1 documents do not have it.
/// </param>
public sealed record LotteryAnnouncements(
    int SchemaVersion,
    string RoundId,
    IReadOnlyList<AnnouncedCommitment> Commitments,
    AnnouncedPool? Pool,
    IReadOnlyList<AnnouncedSetAside> SetAside,
    AnnouncedAnalysisPlan? AnalysisPlan = null)
{
    /// <summary>Version 2 added <see cref="AnalysisPlan"/>; version 1 documents are still read.</summary>
    public const int CurrentSchemaVersion = 2;

    public string ToJson() => JsonSerializer.Serialize(this, PublishedJson.Options);

    /// <summary>Reads the document strictly (see <see cref="PublishedJson"/>), version 1 or 2; throws <see cref="JsonException"/> otherwise.</summary>
    public static LotteryAnnouncements FromJson(string json)
    {
        var announcements = JsonSerializer.Deserialize<LotteryAnnouncements>(json, PublishedJson.Options) ?? throw new JsonException("The announcements are null.");
        return announcements.SchemaVersion switch
        {
            1 when announcements.AnalysisPlan is not null => throw new JsonException("schemaVersion 1 announcements have no analysisPlan; it came with schemaVersion 2."),
            1 or CurrentSchemaVersion => announcements,
            _ => throw new JsonException($"schemaVersion {announcements.SchemaVersion} is not one this reader knows (1 or {CurrentSchemaVersion})."),
        };
    }

    /// <summary>The commitments announced for one draw, in commitment order.</summary>
    public IReadOnlyList<AnnouncedCommitment> CommitmentsOf(int draw) => [.. Commitments.Where(c => c.Draw == draw).OrderBy(c => c.Index)];

    /// <summary>The draw whose announced commitments are exactly these, in this order; null when none is.</summary>
    public int? DrawUsing(IReadOnlyList<string> commitments) =>
        Commitments.Select(c => c.Draw).Distinct().Order().Cast<int?>()
            .FirstOrDefault(d => CommitmentsOf(d!.Value).Select(c => c.Commitment).SequenceEqual(commitments, StringComparer.Ordinal));

    /// <summary>The draw that would come next or is current: one more than the draws set aside.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int CurrentDraw => SetAside.Count + 1;

    /// <summary>What the round's state says has been announced by now; earlier draws' commitments are not in the state any more, only in the written announcements.</summary>
    public static (IReadOnlyList<AnnouncedCommitment> Commitments, IReadOnlyList<AnnouncedSetAside> SetAside) Current(RoundData round)
    {
        var lottery = round.LotteryState;
        var draw = lottery.Superseded.Count + 1;
        return (
            [.. lottery.Commitments.Select((c, i) => new AnnouncedCommitment(draw, i, c.Party, c.Commitment, c.PostedAt))],
            [.. lottery.Superseded.Select((d, i) => new AnnouncedSetAside(i + 1, d.ProtocolHash, d.SupersededReason ?? "", d.SupersededAt ?? d.DrawnAt))]);
    }
}

/// <summary>
/// What a verifier was told to expect from outside the protocol: the commitments, the pool hash, the
/// budgets and the analysis plan's hash published before the draw. Each is optional; given ones must match exactly.
/// </summary>
/// <param name="Budget">The one budget of an unstratified design.</param>
/// <param name="StratumBudgets">The budget of every stratum of a stratified design.</param>
/// <param name="AnalysisPlanHash">The hash of the analysis plan the round committed to before the draw.</param>
public sealed record DrawExpectations(
    IReadOnlyList<string>? Commitments = null,
    string? PoolHash = null,
    long? Budget = null,
    IReadOnlyList<StratumBudget>? StratumBudgets = null,
    string? AnalysisPlanHash = null)
{
    public bool IsEmpty => Commitments is null && PoolHash is null && Budget is null && StratumBudgets is null && AnalysisPlanHash is null;
}

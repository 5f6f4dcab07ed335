using System.Text.Json;
using Grants.Domain.Rounds;

namespace Grants.Domain.Lottery;

/// <summary>A party's seed commitment as announced when it was posted: for which draw of the round, in which place of that draw's commitment order.</summary>
/// <param name="Draw">1 for the round's first draw; a re-draw after a draw was set aside takes new commitments under the next number.</param>
/// <param name="Index">The place in the draw's commitment order, from 0: the order in which the seeds enter the draw key.</param>
public sealed record AnnouncedCommitment(int Draw, int Index, string Party, string Commitment, DateTimeOffset At);

/// <summary>The frozen pool as announced at the freeze: its hash and size, and the design (rule and budgets) the draw will fill it with.</summary>
public sealed record AnnouncedPool(string PoolHash, int PoolSize, ProtocolDesign Design, DateTimeOffset At);

/// <summary>A draw that was set aside before publication (held by the balance check), with the reason given.</summary>
public sealed record AnnouncedSetAside(int Draw, string ProtocolHash, string Reason, DateTimeOffset At);

/// <summary>
/// What a round published about its lottery before each draw, every item written once when it came
/// to exist: seed commitments (before the round closed, or before a re-draw), the pool hash with the
/// budget per stratum (at the freeze) and any draw set aside. A protocol is checked against these, so
/// that a draw rebuilt afterwards around another seed, pool or budget cannot verify.
/// Schema: contracts/schemas/lottery-announcements.schema.json.
/// </summary>
public sealed record LotteryAnnouncements(
    int SchemaVersion,
    string RoundId,
    IReadOnlyList<AnnouncedCommitment> Commitments,
    AnnouncedPool? Pool,
    IReadOnlyList<AnnouncedSetAside> SetAside)
{
    public const int CurrentSchemaVersion = 1;

    public string ToJson() => JsonSerializer.Serialize(this, PublishedJson.Options);

    /// <summary>Reads the document strictly (see <see cref="PublishedJson"/>); throws <see cref="JsonException"/> otherwise.</summary>
    public static LotteryAnnouncements FromJson(string json) =>
        JsonSerializer.Deserialize<LotteryAnnouncements>(json, PublishedJson.Options) ?? throw new JsonException("The announcements are null.");

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
/// What a verifier was told to expect from outside the protocol: the commitments, the pool hash and
/// the budgets published before the draw. Each is optional; given ones must match exactly.
/// </summary>
/// <param name="Budget">The one budget of an unstratified design.</param>
/// <param name="StratumBudgets">The budget of every stratum of a stratified design.</param>
public sealed record DrawExpectations(
    IReadOnlyList<string>? Commitments = null,
    string? PoolHash = null,
    long? Budget = null,
    IReadOnlyList<StratumBudget>? StratumBudgets = null)
{
    public bool IsEmpty => Commitments is null && PoolHash is null && Budget is null && StratumBudgets is null;
}

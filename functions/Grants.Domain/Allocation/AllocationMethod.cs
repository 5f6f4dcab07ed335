namespace Grants.Domain.Allocation;

/// <summary>
/// The lawful ways to share out a round's ceiling (docs/allocation.md): a lottery; first come, first served by day of
/// receipt; a ranked tender on the committee's scores; partial randomisation around the funding line; and pro rata.
/// Each but pro rata lays a stratum out as a <see cref="StratumLayout"/>: some funded whatever the draw, some ordered by
/// the verifiable draw, some after them; so every method has the same order, fill and chances (<see cref="AllocationDraw"/>).
/// </summary>
public static class AllocationMethod
{
    public const string Lottery = "lottery";
    public const string FirstComeFirstServedByDay = "fcfs-day";
    public const string RankedTender = "ranked-tender";
    public const string PartialRandomisation = "partial-randomisation";
    public const string ProRata = "pro-rata";

    public static IReadOnlyList<string> All { get; } = [Lottery, FirstComeFirstServedByDay, RankedTender, PartialRandomisation, ProRata];

    /// <summary>
    /// Order of receipt and a ranking are the principle of these methods: funding goes down the order and ends at the first
    /// request that does not fit, as passing over one to fund a later one would break the order.
    /// </summary>
    public static bool EndsAtFirstThatDoesNotFit(string method) => method is FirstComeFirstServedByDay or RankedTender;

    /// <summary>Only pro rata has no order and no draw: every viable request is cut by the same fraction, so no one is a control.</summary>
    public static bool Randomises(string method) => method != ProRata;
}

/// <summary>
/// One pool member as an allocation method sees it: its pseudonymous id, stratum and requested amount (euro cents), and
/// what the method orders by: the moment it was complete (first come, first served) or the committee's score (tender,
/// partial randomisation), as published with the pool before the draw.
/// </summary>
public sealed record Candidate(string Id, string Stratum, long Amount, DateTimeOffset? CompletedAt = null, decimal? Score = null)
{
    public DateTimeOffset Completed => CompletedAt ?? throw new InvalidOperationException($"Candidate {Id} has no moment of completion; first come, first served needs one.");

    public decimal Scored => Score ?? throw new InvalidOperationException($"Candidate {Id} has no score; a ranking needs one.");
}

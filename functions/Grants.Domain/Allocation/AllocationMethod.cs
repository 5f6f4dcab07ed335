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
    /// Every method but the lottery funds down one order — receipt, or the committee's ranking with a band drawn within it —
    /// and ends at the first request that does not fit: passing over one to fund a later one would break the order, and
    /// it keeps the draw's effect to the one group drawn (docs/allocation.md). Pro rata skips no one: everyone it keeps is
    /// cut to fit. The lottery may skip or stop.
    /// </summary>
    public static bool EndsAtFirstThatDoesNotFit(string method) => method is FirstComeFirstServedByDay or RankedTender or PartialRandomisation or ProRata;

    /// <summary>
    /// The committee's weighted mean score as the pool publishes it and the ranking compares it: rounded to three decimals
    /// (half away from zero), so that what a reader sees is what was ranked, and scores equal on paper are equal.
    /// </summary>
    public static decimal PublishedScore(double weightedTotal) => Math.Round((decimal)weightedTotal, 3, MidpointRounding.AwayFromZero);

    /// <summary>
    /// How <paramref name="method"/> shares out a round's budget, in one sentence for someone deciding whether to apply
    /// (published with the round as an opportunity, docs/open-data.md).
    /// </summary>
    public static string HowItAllocates(string method) => method switch
    {
        Lottery => "If the eligible applications ask for more than the budget, a verifiable lottery decides the order in which they are funded; "
            + "anyone can recompute the draw from its published protocol.",
        FirstComeFirstServedByDay => "Applications are funded by the day they were complete, earliest day first; the applications of the day the budget runs out "
            + "are ordered by a verifiable lottery, which anyone can recompute from its published protocol.",
        RankedTender => "The assessment committee scores every eligible application and the best are funded until the budget runs out; "
            + "applications tied at the funding line are ordered by a verifiable lottery.",
        PartialRandomisation => "The assessment committee scores every eligible application; the clearly best are funded, the clearly weakest turned down, "
            + "and a band of comparable applications around the funding line is ordered by a verifiable lottery.",
        ProRata => "Every viable request is cut by the same fraction so that all fit the budget; if a share would fall below the minimum grant, "
            + "the smallest requests are dropped first. Nothing is drawn.",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not an allocation method."),
    };

    /// <summary>Only pro rata has no order and no draw: every viable request is cut by the same fraction, so no one is a control, and no seed is needed.</summary>
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

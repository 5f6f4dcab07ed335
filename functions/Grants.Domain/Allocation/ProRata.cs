namespace Grants.Domain.Allocation;

/// <summary>A request's share under pro rata: what it asked and what it is granted (0 when its share is not viable).</summary>
public sealed record ProRataShare(string Id, long Requested, long Granted);

/// <summary>
/// Every viable request cut by the same fraction: the budget over the sum of the viable requests (1 when they fit), each
/// share rounded down to the cent. <see cref="Floor"/> is the least a project can be carried out with (the configuration's
/// minimum grant): a share below it is not granted at all, and the fraction is worked out again without it.
/// </summary>
/// <param name="Numerator">With <see cref="Denominator"/>, the exact fraction every granted request was multiplied by.</param>
public sealed record ProRataOutcome(IReadOnlyList<ProRataShare> Shares, long Floor, long Numerator, long Denominator)
{
    public long Granted => Shares.Sum(s => s.Granted);
}

/// <summary>Pro rata (docs/allocation.md): no order and no draw, so no one's chance lies strictly between 0 and 1.</summary>
public static class ProRata
{
    /// <summary>Chance 1: granted a share, whatever happened; nothing is drawn.</summary>
    public const string Granted = "exact:share";

    /// <summary>Chance 0: its share would fall below the minimum grant, so it is turned down.</summary>
    public const string BelowMinimum = "exact:below-minimum";

    /// <summary>One sentence on how the budget was shared out, for the protocol's line.</summary>
    public static string Describe(ProRataOutcome outcome, long budget)
    {
        var dropped = outcome.Shares.Count(s => s.Granted == 0);
        var cut = outcome.Numerator == outcome.Denominator
            ? "every request kept is granted in full"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"every request kept is cut to {(double)outcome.Numerator / outcome.Denominator:0.000%} (the budget of {budget} cents over the {outcome.Denominator} cents they ask), rounded down to the cent");
        return dropped == 0 ? cut
            : $"{cut}; {(dropped == 1 ? "1 request is turned down, as its share would" : $"{dropped} requests are turned down, as their shares would")} fall below the minimum grant of {outcome.Floor} cents";
    }

    /// <summary>
    /// Requests are dropped from the smallest up (a request's share grows with it, so the smallest is the first whose share
    /// falls below the floor), all requests of one amount together, until every remaining share reaches the floor. Dropping
    /// one raises the others' shares, so as many as possible are kept.
    /// </summary>
    public static ProRataOutcome Allocate(IReadOnlyList<Candidate> candidates, long budget, long floor)
    {
        var bySize = candidates.OrderBy(c => c.Amount).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var remaining = bySize.Sum(c => c.Amount);
        var first = 0;
        while (first < bySize.Count && Share(bySize[first].Amount, budget, remaining) < floor)
        {
            var amount = bySize[first].Amount;
            while (first < bySize.Count && bySize[first].Amount == amount)
            {
                remaining -= bySize[first++].Amount;
            }
        }

        var (numerator, denominator) = remaining <= budget ? (1L, 1L) : (budget, remaining);
        var granted = bySize.Skip(first).ToDictionary(c => c.Id, c => Share(c.Amount, budget, remaining), StringComparer.Ordinal);
        return new ProRataOutcome(
            [.. candidates.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => new ProRataShare(c.Id, c.Amount, granted.GetValueOrDefault(c.Id)))],
            floor, numerator, denominator);
    }

    /// <summary>amount × budget / requested, rounded down to the cent; the whole amount when the requests fit.</summary>
    private static long Share(long amount, long budget, long requested) =>
        requested <= budget ? amount : (long)((Int128)amount * budget / requested);
}

namespace Grants.Domain.Lottery;

/// <summary>A pool member with the covariates the balance check compares across.</summary>
public sealed record BalanceUnit(string Id, string Stratum, string Sector, DateOnly SubmissionDay, long Amount);

/// <summary>One group's selections against what the design's own probabilities lead one to expect.</summary>
public sealed record BalanceGroup(string Dimension, string Group, int Units, int Selected, double Expected, double? Z, bool Surprising);

public sealed record BalanceReport(double Threshold, IReadOnlyList<BalanceGroup> Groups)
{
    public bool HoldsPublication => Groups.Any(g => g.Surprising);
}

/// <summary>
/// Balance check after a draw (docs/design.md §4): per stratum, sector, submission day and requested-amount
/// band, the number selected O against its expectation under the design, E = Σp, with
/// z = (O − E) / √Σp(1−p). Because the comparison uses each unit's own assignment probability, the
/// imbalance a design creates on purpose (large requests fit less often) is not flagged; chance
/// imbalance beyond |z| &gt; threshold in a group of at least <see cref="MinimumGroup"/> units is.
/// </summary>
public static class BalanceCheck
{
    public const double DefaultThreshold = 3.0;
    public const int MinimumGroup = 5;

    public static BalanceReport Run(IReadOnlyList<BalanceUnit> units, IReadOnlySet<string> selected, IReadOnlyDictionary<string, double> probability, double threshold = DefaultThreshold)
    {
        var groups = new List<BalanceGroup>();
        void Compare(string dimension, Func<BalanceUnit, string> key)
        {
            foreach (var group in units.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var n = group.Count();
                var observed = group.Count(u => selected.Contains(u.Id));
                var expected = group.Sum(u => probability[u.Id]);
                var variance = group.Sum(u => probability[u.Id] * (1 - probability[u.Id]));
                double? z = variance > 1e-12 ? (observed - expected) / Math.Sqrt(variance) : null;
                groups.Add(new BalanceGroup(dimension, group.Key, n, observed, expected, z, n >= MinimumGroup && z is { } value && Math.Abs(value) > threshold));
            }
        }

        Compare("stratum", u => u.Stratum);
        Compare("sector", u => u.Sector);
        Compare("submission-day", u => u.SubmissionDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Compare("requested-amount", u => AmountBand(u.Amount));
        return new BalanceReport(threshold, groups);
    }

    /// <summary>Bands of the requested amount in euros: under 50,000; 50,000–99,999; 100,000 and more.</summary>
    public static string AmountBand(long cents) => cents switch
    {
        < 50_000_00 => "under-50k",
        < 100_000_00 => "50k-100k",
        _ => "100k-and-more",
    };
}

namespace Grants.Domain.Allocation;

/// <summary>
/// The band of partial randomisation: score thresholds fixed in the configuration (funded directly at or above
/// <see cref="Upper"/>, drawn from <see cref="Lower"/> up to below it, turned down below it), or the <see cref="Size"/>
/// candidates around the funding line of the ranking — half above it, half below — widened to whole scores, so that no two
/// candidates with the same score are treated differently.
/// </summary>
public sealed record RandomisationBand(decimal? Upper = null, decimal? Lower = null, int? Size = null)
{
    public IEnumerable<(string Field, string Error)> Problems()
    {
        if (Size is null && (Upper is null || Lower is null))
        {
            yield return ("band", "give the upper and lower score of the band, or its size around the funding line");
        }
        else if (Size is not null && (Upper is not null || Lower is not null))
        {
            yield return ("band", "give the band by its scores or by its size, not both");
        }
        else if (Size is { } size && size < 2)
        {
            yield return ("band.size", "a band around the funding line holds at least 2 applications");
        }
        else if (Upper <= Lower)
        {
            yield return ("band.upper", "must be above the lower score of the band");
        }
    }

    /// <summary>Who is funded directly, who is drawn and who is turned down, with a sentence saying where the band lies.</summary>
    public BandSplit Split(IReadOnlyList<Candidate> candidates, long budget)
    {
        if (Upper is { } upper && Lower is { } lower)
        {
            var top = candidates.Where(c => c.Scored >= upper).ToList();
            var band = candidates.Where(c => c.Scored >= lower && c.Scored < upper).ToList();
            var below = candidates.Where(c => c.Scored < lower).ToList();
            return new BandSplit(top, band, below,
                $"{top.Count} score {upper} or more and are funded; {band.Count} score from {lower} to below {upper} and are drawn; {below.Count} score below {lower}");
        }

        var size = Size ?? throw new InvalidOperationException("The band has neither scores nor a size.");
        var ranking = candidates.OrderByDescending(c => c.Scored).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var line = FundingLine(ranking, budget);
        if (line == ranking.Count)
        {
            return new BandSplit(ranking, [], [], "every request fits the budget: all are funded");
        }

        var first = Math.Max(0, line - size / 2);
        var last = Math.Min(ranking.Count, line + (size - size / 2)) - 1;
        var (high, low) = (ranking[first].Scored, ranking[last].Scored);
        var inBand = ranking.Where(c => c.Scored <= high && c.Scored >= low).ToList();
        return new BandSplit(ranking.Where(c => c.Scored > high).ToList(), inBand, ranking.Where(c => c.Scored < low).ToList(),
            $"the funding line of the ranking falls after {line}; the band of {size} around it holds scores {low} to {high}, {inBand.Count} applications, which are drawn");
    }

    /// <summary>How many of the ranking fit the budget one after another, from the top: where a tender would stop.</summary>
    private static int FundingLine(IReadOnlyList<Candidate> ranking, long budget)
    {
        long used = 0;
        var line = 0;
        while (line < ranking.Count && used + ranking[line].Amount <= budget)
        {
            used += ranking[line++].Amount;
        }

        return line;
    }
}

/// <summary>Partial randomisation's three groups and a sentence on where the band lies.</summary>
public sealed record BandSplit(IReadOnlyList<Candidate> Top, IReadOnlyList<Candidate> Band, IReadOnlyList<Candidate> Below, string Description);

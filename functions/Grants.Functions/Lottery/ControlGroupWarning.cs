using System.Globalization;

namespace Grants.Functions.Lottery;

/// <summary>
/// What a budget change costs the evaluation, in the words ministry staff confirm it with. The smallest
/// detectable effect is a difference in proportions, so it is stated in percentage points; a control
/// group that is gone, or too small to detect any effect up to 100 points, detects none.
/// </summary>
public static class ControlGroupWarning
{
    public static string Describe(int controlAfter, int minimum, double? detectableBefore, double? detectableAfter)
    {
        var leaves = $"This leaves {Domain.Common.English.Count(controlAfter, "control unit")} (minimum {minimum})";
        var cost = Points(detectableAfter) is not { } after
            ? "the evaluation could then detect no effect of the scheme at all"
            : Points(detectableBefore) is { } before
                ? $"the smallest effect the evaluation can detect grows from {before} to {after}"
                : $"the smallest effect the evaluation can detect becomes {after}";
        return $"{leaves}: {cost}. Confirm to go ahead.";
    }

    /// <summary>"12.5 percentage points"; null when no effect a proportion can show would be detected.</summary>
    private static string? Points(double? effect) =>
        effect is { } e && e < 1 ? string.Create(CultureInfo.InvariantCulture, $"{e * 100:0.0} percentage points") : null;
}

using System.Diagnostics;

namespace Grants.Benchmarks;

/// <summary>Wall-clock timing and medians shared by the benchmarks.</summary>
public static class Timing
{
    public static double Seconds(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The median of <paramref name="runs"/> timings of <paramref name="action"/>.</summary>
    public static double MedianSeconds(int runs, Action action) => Median(Enumerable.Range(0, runs).Select(_ => Seconds(action)));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

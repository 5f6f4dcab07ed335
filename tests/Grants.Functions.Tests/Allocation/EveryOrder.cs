namespace Grants.Functions.Tests.Allocation;

/// <summary>
/// The independent computation the method tests check chances against: every order of the drawn requests, each funded
/// down the order until the first that does not fit, and the share of orders in which each request is funded.
/// </summary>
public static class EveryOrder
{
    /// <param name="drawn">The requests the draw orders; those before them keep their place ahead, those after behind.</param>
    public static double[] Chances(long[] amounts, long budget, int[] drawn)
    {
        var funded = new long[amounts.Length];
        var orders = 0;
        foreach (var arrangement in Permutations(drawn))
        {
            var order = Enumerable.Range(0, amounts.Length).Where(i => !drawn.Contains(i) && i < drawn.Min())
                .Concat(arrangement).Concat(Enumerable.Range(0, amounts.Length).Where(i => !drawn.Contains(i) && i > drawn.Max()));
            var left = budget;
            foreach (var i in order)
            {
                if (amounts[i] > left)
                {
                    break;
                }

                left -= amounts[i];
                funded[i]++;
            }

            orders++;
        }

        return [.. funded.Select(f => f / (double)orders)];
    }

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1 ? [items] : items.SelectMany((item, i) => Permutations([.. items.Where((_, j) => j != i)]).Select(rest => (int[])[item, .. rest]));
}

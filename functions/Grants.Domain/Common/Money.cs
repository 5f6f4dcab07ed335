namespace Grants.Domain.Common;

/// <summary>Amounts are whole euro cents in a 64-bit integer.</summary>
public static class Money
{
    /// <summary>
    /// The largest amount any figure may hold: €1 trillion, well above any programme's budget (the
    /// whole Dutch central government spends under half of it in a year) and far enough below
    /// <see cref="long.MaxValue"/> that no sum of ledger figures can overflow.
    /// </summary>
    public const long MaxCents = 1_000_000_000_000_00;
}

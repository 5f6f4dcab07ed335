namespace Grants.Functions.Lottery;

public sealed class LotteryOptions
{
    public const string SectionName = "Lottery";

    /// <summary>K for Monte Carlo assignment probabilities (docs/design.md §4); recorded in each protocol.</summary>
    public int Simulations { get; set; } = 10_000;

    /// <summary>|z| above which a group's selections are a surprising imbalance that holds publication.</summary>
    public double BalanceThreshold { get; set; } = Domain.Lottery.BalanceCheck.DefaultThreshold;
}

using Grants.Evaluation.Estimators;

namespace Grants.Evaluation.Planning;

/// <summary>What a planned or drawn round can detect.</summary>
/// <param name="Winners">Units expected to be offered the subsidy.</param>
/// <param name="Losers">Units in the control group.</param>
/// <param name="RespondingWinners">Winners expected to answer the follow-up.</param>
/// <param name="RespondingLosers">Losers expected to answer the follow-up.</param>
/// <param name="Mde">The smallest difference in proportions detected with the given power; null when an arm is empty.</param>
public sealed record PowerPlan(int Winners, int Losers, int RespondingWinners, int RespondingLosers, double Baseline, double Alpha, double Power, double? Mde, string Method);

/// <summary>
/// Power and minimum detectable effect (MDE) for a difference in proportions between winners and losers
/// (Bloom 1995): MDE = (z₁₋α/₂ + z_power)·√(p(1−p)(1/n₁ + 1/n₀)), with p the expected realisation rate
/// among losers (0.5 is the most conservative) and n the expected respondents per arm.
/// </summary>
public static class Power
{
    public const string Method = "Minimum detectable difference in proportions, two-sided test, normal approximation (Bloom 1995)";

    public static double? MinimumDetectableEffect(int treated, int control, double baseline = 0.5, double alpha = 0.05, double power = 0.8) =>
        treated <= 0 || control <= 0
            ? null
            : (Normal.Quantile(1 - (alpha / 2)) + Normal.Quantile(power)) * Math.Sqrt(baseline * (1 - baseline) * ((1.0 / treated) + (1.0 / control)));

    /// <summary>The chance that a two-sided test at level α detects a true difference <paramref name="effect"/>.</summary>
    public static double PowerFor(double effect, int treated, int control, double baseline = 0.5, double alpha = 0.05)
    {
        var se = Math.Sqrt(baseline * (1 - baseline) * ((1.0 / treated) + (1.0 / control)));
        return Normal.Cdf((Math.Abs(effect) / se) - Normal.Quantile(1 - (alpha / 2)));
    }

    /// <summary>
    /// Before a draw: a pool of <paramref name="poolSize"/> eligible applications asking on average
    /// <paramref name="meanAmount"/> for a ceiling of <paramref name="budget"/> gives about budget/mean winners;
    /// the rest are the control group; <paramref name="responseRate"/> of each arm answers the follow-up.
    /// </summary>
    public static PowerPlan Plan(int poolSize, decimal budget, decimal meanAmount, double baseline, double responseRate = 1, double alpha = 0.05, double power = 0.8)
    {
        if (poolSize < 0 || budget < 0 || meanAmount <= 0 || baseline is < 0 or > 1 || responseRate is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(poolSize), "need a pool ≥ 0, a budget ≥ 0, a mean amount > 0, a baseline in [0, 1] and a response rate in (0, 1]");
        }

        var winners = (int)Math.Min(poolSize, Math.Floor(budget / meanAmount));
        var losers = poolSize - winners;
        var (respondingWinners, respondingLosers) = ((int)Math.Floor(winners * responseRate), (int)Math.Floor(losers * responseRate));
        return new PowerPlan(winners, losers, respondingWinners, respondingLosers, baseline, alpha, power,
            MinimumDetectableEffect(respondingWinners, respondingLosers, baseline, alpha, power), Method);
    }
}

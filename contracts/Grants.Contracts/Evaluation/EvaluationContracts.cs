namespace Grants.Contracts.Evaluation;

/// <summary>
/// What a round's evaluation will be able to detect, before or after the draw: the expected winners
/// (budget ÷ mean request) and losers, those expected to answer the follow-up, and the minimum
/// detectable difference in proportions at the given power.
/// </summary>
/// <param name="Source">"frozen pool" when pool size and mean amount come from the round's frozen pool, "planned" when the caller gave them.</param>
/// <param name="MinimumDetectableEffect">As a fraction (0.15 = 15 percentage points); null when one group would be empty.</param>
public sealed record PowerPlanResponse(
    string RoundId,
    string Source,
    int PoolSize,
    long BudgetCents,
    long MeanAmountCents,
    int Winners,
    int Losers,
    int RespondingWinners,
    int RespondingLosers,
    double Baseline,
    double ResponseRate,
    double Alpha,
    double Power,
    double? MinimumDetectableEffect,
    string Method);

using Grants.Contracts.Rounds;

namespace Grants.Contracts.Evaluation;

/// <summary>
/// Puts another analysis plan in force after the draw, saying why. <see cref="Plan"/> states the plan: a field left
/// out keeps its value in the plan in force. The plan committed before the draw and every amendment stay listed.
/// </summary>
public sealed record AmendAnalysisPlanRequest(AnalysisPlanDto Plan, string Reason) : IValidatable
{
    public const int MaxReasonLength = 2000;

    public IEnumerable<(string Field, string Error)> Validate() => TextRules.SingleLine("reason", Reason, MaxReasonLength);
}

/// <summary>
/// What a round's evaluation will be able to detect, before or after the draw: the expected winners
/// (budget ÷ mean request) and losers, those expected to answer the follow-up, and the minimum
/// detectable difference in proportions at the given power.
/// </summary>
/// <param name="Source">"frozen pool" when pool size and mean amount come from the round's frozen pool, "planned" when the caller gave them.</param>
/// <param name="MinimumDetectableEffect">As a fraction (0.15 = 15 percentage points); null when one group would be empty.</param>
/// <param name="Methods">The same for every allocation method, so that the round's choice can be weighed against what each lets the evaluation detect.</param>
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
    string Method,
    IReadOnlyList<MethodPowerResponse> Methods);

/// <summary>
/// What one allocation method would give the evaluation in this round (docs/allocation.md): the units it would randomise
/// (its drawn group), the expected winners and losers among them, and the minimum detectable effect; null where it cannot
/// be said, and <see cref="Basis"/> says what it rests on or what it needs.
/// </summary>
public sealed record MethodPowerResponse(
    [property: ClosedSet("allocation-method")] string Method, int? Randomised, int? Winners, int? Losers, double? MinimumDetectableEffect, string Basis);

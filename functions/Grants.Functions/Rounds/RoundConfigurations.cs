using Grants.Contracts.Rounds;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Evaluation.Dataset;

namespace Grants.Functions.Rounds;

/// <summary>A round's configuration between the wire and the domain: the request's form to <see cref="RoundConfiguration"/> and back.</summary>
public static class RoundConfigurations
{
    public static RoundConfiguration ToDomain(RoundConfigurationDto dto)
    {
        RoundConfigurationDto.TryParseLocal(dto.OpensAt, out var opens);
        RoundConfigurationDto.TryParseLocal(dto.ClosesAt, out var closes);
        var eligibility = dto.Eligibility ?? new EligibilityRulesDto();
        var allocation = dto.Allocation ?? new AllocationDesignDto();
        return new RoundConfiguration(
            Version: 1,
            dto.Year,
            dto.BudgetCeilingCents,
            dto.MaxPerApplicationCents,
            Enum.Parse<Instrument>(dto.Instrument),
            dto.VoucherValueCents,
            [.. dto.Themes],
            new EligibilityRules([.. eligibility.Sectors ?? []], [.. eligibility.SizeClasses ?? []], eligibility.AllowPrivate, eligibility.AllowPublic),
            AmsterdamTime.ToInstant(opens, "configuration.opensAt"),
            AmsterdamTime.ToInstant(closes, "configuration.closesAt"),
            AllocationDesign.For(allocation.Method, allocation.Rule, allocation.Order, allocation.Strata, allocation.StratumBudgets,
                allocation.Band is { } band ? new Domain.Allocation.RandomisationBand(band.Upper, band.Lower, band.Size) : null, allocation.MinimumGrantCents),
            [.. dto.FollowUpWaveMonths ?? [12, 24]],
            new ConsentText(dto.Consent.Dutch.Trim(), dto.Consent.English.Trim()),
            dto.MinimumControlGroup ?? RoundConfiguration.DefaultMinimumControlGroup,
            dto.Vouchers is { } v ? new VoucherRules(v.ValidityDays, v.ConsultanciesAllowed, v.MinimumConsultancyReferences) : null,
            ToPlan(dto.AnalysisPlan, new EvaluationDesign { PrimaryWave = RoundConfiguration.DefaultPrimaryWave }));
    }

    /// <summary>The plan the request states: each field it gives, the others as in <paramref name="basis"/> (the defaults, or the plan in force).</summary>
    public static EvaluationDesign ToPlan(AnalysisPlanDto? dto, EvaluationDesign basis) => dto is null ? basis : basis with
    {
        Alpha = dto.Alpha ?? basis.Alpha,
        Power = dto.Power ?? basis.Power,
        PrimaryWave = dto.PrimaryWave ?? basis.PrimaryWave,
        PrimaryOutcome = dto.PrimaryOutcome ?? basis.PrimaryOutcome,
        OutcomeFamily = dto.OutcomeFamily is { } family ? [.. family] : basis.OutcomeFamily,
        RandomisationDraws = dto.RandomisationDraws ?? basis.RandomisationDraws,
        Seed = dto.Seed ?? basis.Seed,
        PrimaryEstimator = dto.PrimaryEstimator ?? basis.PrimaryEstimator,
    };

    public static AnalysisPlanDto ToPlanDto(EvaluationDesign plan) =>
        new(plan.Alpha, plan.Power, plan.PrimaryWave, plan.PrimaryOutcome, plan.OutcomeFamily, plan.RandomisationDraws, plan.Seed, plan.PrimaryEstimator);
}

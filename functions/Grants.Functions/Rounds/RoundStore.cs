using Grants.Contracts.Rounds;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Evaluation.Dataset;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Rounds;

/// <summary>Loading rounds and translating them to and from the wire.</summary>
public sealed class RoundStore(AggregateStore store, RecentAggregates recent)
{
    public const string AggregateType = "round";

    public static string NewId() => $"round-{Guid.NewGuid():N}"[..18];

    public static string IdFor(string operationId) => $"round-{operationId[..12]}";

    public Task<StoredAggregate<RoundData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("round-", StringComparison.Ordinal) ? store.FindAsync<RoundData>(id, cancellationToken) : Task.FromResult<StoredAggregate<RoundData>?>(null);

    /// <summary>As <see cref="FindAsync"/>, possibly a moment old (<see cref="RecentAggregates"/>): for a courtesy check that no invariant rests on.</summary>
    public Task<StoredAggregate<RoundData>?> FindRecentAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("round-", StringComparison.Ordinal) ? recent.FindAsync<RoundData>(id, cancellationToken) : Task.FromResult<StoredAggregate<RoundData>?>(null);

    public Task<IReadOnlyList<StoredAggregate<RoundData>>> InStatusAsync(RoundStatus status, CancellationToken cancellationToken) =>
        store.QueryAsync<RoundData>(AggregateType, $"Status eq {status.ToString()}", cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<RoundData>>> OfSchemeAsync(string schemeId, CancellationToken cancellationToken) =>
        store.QueryAsync<RoundData>(AggregateType, $"ix_SchemeId eq {schemeId}", cancellationToken);

    public Task<StoredAggregate<RoundData>> SaveAsync(StoredAggregate<RoundData> current, Round round, string actor, PendingAuditEvent auditEvent, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, round.Data.Status.ToString(), round.Data, actor, Change.Of(auditEvent), cancellationToken);

    public static IResult NotFound(string id) => Problems.Of(ProblemKind.NotFound, $"There is no round {id}.");

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
            new AllocationDesign(allocation.Rule, allocation.Order, allocation.Strata, allocation.StratumBudgets),
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

    public static RoundResponse ToResponse(StoredAggregate<RoundData> stored)
    {
        var round = stored.State;
        var c = round.Configuration;
        var dto = new RoundConfigurationDto(
            c.Year, c.BudgetCeilingCents, c.MaxPerApplicationCents, c.Instrument.ToString(), c.VoucherValueCents, c.Themes,
            new EligibilityRulesDto(c.Eligibility.Sectors, c.Eligibility.SizeClasses, c.Eligibility.AllowPrivate, c.Eligibility.AllowPublic),
            AmsterdamTime.ToLocal(c.OpensAt).ToString(RoundConfigurationDto.LocalTimeFormats[1], System.Globalization.CultureInfo.InvariantCulture),
            AmsterdamTime.ToLocal(c.ClosesAt).ToString(RoundConfigurationDto.LocalTimeFormats[1], System.Globalization.CultureInfo.InvariantCulture),
            new AllocationDesignDto(c.Allocation.Rule, c.Allocation.Order, c.Allocation.Strata, c.Allocation.StratumBudgets),
            c.FollowUpWaveMonths,
            new ConsentTextDto(c.Consent.Dutch, c.Consent.English),
            c.MinimumControlGroup,
            c.Vouchers is { } v ? new VoucherRulesDto(v.ValidityDays, v.ConsultanciesAllowed, v.MinimumConsultancyReferences) : null,
            ToPlanDto(c.EffectiveAnalysisPlan));
        return new RoundResponse(round.Id, round.SchemeId, round.Name, round.Status.ToString(), c.Version, dto, c.OpensAt, c.ClosesAt,
            round.OpenedAt, round.ClosedAt, round.PoolFrozenAt, round.PoolHash, round.PoolSize, stored.Version);
    }
}

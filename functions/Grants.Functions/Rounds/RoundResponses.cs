using Grants.Contracts.Rounds;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Rounds;

/// <summary>How a stored round is shown through the API.</summary>
public static class RoundResponses
{
    public static RoundResponse From(StoredAggregate<RoundData> stored)
    {
        var round = stored.State;
        var c = round.Configuration;
        var dto = new RoundConfigurationDto(
            c.Year, c.BudgetCeilingCents, c.MaxPerApplicationCents, c.Instrument.ToString(), c.VoucherValueCents, c.Themes,
            new EligibilityRulesDto(c.Eligibility.Sectors, c.Eligibility.SizeClasses, c.Eligibility.AllowPrivate, c.Eligibility.AllowPublic),
            AmsterdamTime.ToLocal(c.OpensAt).ToString(RoundConfigurationDto.LocalTimeFormats[1], System.Globalization.CultureInfo.InvariantCulture),
            AmsterdamTime.ToLocal(c.ClosesAt).ToString(RoundConfigurationDto.LocalTimeFormats[1], System.Globalization.CultureInfo.InvariantCulture),
            new AllocationDesignDto(c.Allocation.Rule, c.Allocation.Order, c.Allocation.Strata, c.Allocation.StratumBudgets, c.Allocation.Method,
                c.Allocation.Band is { } band ? new RandomisationBandDto(band.Upper, band.Lower, band.Size) : null, c.Allocation.MinimumGrant),
            c.FollowUpWaveMonths,
            new ConsentTextDto(c.Consent.Dutch, c.Consent.English),
            c.MinimumControlGroup,
            c.Vouchers is { } v ? new VoucherRulesDto(v.ValidityDays, v.ConsultanciesAllowed, v.MinimumConsultancyReferences) : null,
            RoundConfigurations.ToPlanDto(c.EffectiveAnalysisPlan));
        return new RoundResponse(round.Id, round.SchemeId, round.Name, round.Status.ToString(), c.Version, dto, c.OpensAt, c.ClosesAt,
            round.OpenedAt, round.ClosedAt, round.PoolFrozenAt, round.PoolHash, round.PoolSize, stored.Version, round.PoolFreezeRefusal);
    }

    public static string Location(StoredAggregate<RoundData> stored) => $"/api/rounds/{stored.Id}";
}

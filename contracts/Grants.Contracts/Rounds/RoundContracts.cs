using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Grants.Contracts.Rounds;

public sealed record EligibilityRulesDto([property: ClosedSet("sector")] IReadOnlyList<string>? Sectors = null, [property: ClosedSet("size-class")] IReadOnlyList<string>? SizeClasses = null, bool AllowPrivate = true, bool AllowPublic = true);

/// <summary>
/// How the round shares out its ceiling (docs/allocation.md): method lottery|fcfs-day|ranked-tender|partial-randomisation|pro-rata;
/// rule skip|stop and order lottery-then-assess|assess-then-lottery, each the method's own when left out (every method
/// but the lottery stops at the first request that does not fit; a tender and partial randomisation assess first);
/// strata none|sector|size-class|public; partial randomisation's band; and pro rata's minimum grant.
/// </summary>
/// <param name="MinimumGrantCents">Pro rata: the least (euro cents) a project can be carried out with; a share below it is not granted.</param>
public sealed record AllocationDesignDto(
    [property: ClosedSet("allocation-rule")] string? Rule = null,
    [property: ClosedSet("allocation-order")] string? Order = null,
    [property: ClosedSet("allocation-strata")] string Strata = "none",
    IReadOnlyDictionary<string, long>? StratumBudgets = null,
    [property: ClosedSet("allocation-method")] string Method = "lottery",
    RandomisationBandDto? Band = null,
    long? MinimumGrantCents = null);

/// <summary>
/// Partial randomisation's band: funded directly at or above <c>upper</c>, drawn from <c>lower</c> up to below it, turned
/// down below it (committee scores); or the <c>size</c> applications around the funding line of the ranking.
/// </summary>
public sealed record RandomisationBandDto(decimal? Upper = null, decimal? Lower = null, int? Size = null);

public sealed record ConsentTextDto(string Dutch, string English);

/// <summary>Voucher rounds: validity in days after issue; whether consultancies may redeem, and with how many references.</summary>
public sealed record VoucherRulesDto(int ValidityDays = 365, bool ConsultanciesAllowed = true, int MinimumConsultancyReferences = 2);

/// <summary>
/// The evaluation's analysis plan, with the field names of an evaluator export's design.json: the level
/// <c>alpha</c> of intervals and tests, <c>power</c> for the minimum detectable effect, the primary follow-up wave
/// and outcome, the <c>outcomeFamily</c> whose p-values are adjusted together, <c>randomisationDraws</c> and
/// <c>seed</c> of randomisation inference, and the rule that picks the primary estimate (<c>by-design</c>, the only
/// one). In a round's configuration every field left out takes its default (alpha 0.05, power 0.8, primary wave 1,
/// primary outcome realised, family realised, full, smaller, later, less_external, 10,000 draws, seed 20080601);
/// in an amendment it keeps its value in the plan in force. Outcomes are those of the evaluator export.
/// </summary>
public sealed record AnalysisPlanDto(
    double? Alpha = null,
    double? Power = null,
    int? PrimaryWave = null,
    string? PrimaryOutcome = null,
    IReadOnlyList<string>? OutcomeFamily = null,
    int? RandomisationDraws = null,
    int? Seed = null,
    string? PrimaryEstimator = null);

/// <summary>
/// A round's configuration. Times are Amsterdam local times without offset (<c>2008-04-01T09:00</c>);
/// amounts are euro cents. The analysis plan is committed with the configuration when the round opens and
/// announced before the draw (docs/decisions/0013).
/// </summary>
public sealed record RoundConfigurationDto(
    int Year,
    long BudgetCeilingCents,
    long MaxPerApplicationCents,
    [property: ClosedSet("instrument")] string Instrument,
    long? VoucherValueCents,
    [property: ClosedSet("theme")] IReadOnlyList<string> Themes,
    EligibilityRulesDto? Eligibility,
    [property: Description(RoundConfigurationDto.LocalTimeMeaning), RegularExpression(RoundConfigurationDto.LocalTimePattern)] string OpensAt,
    [property: Description(RoundConfigurationDto.LocalTimeMeaning), RegularExpression(RoundConfigurationDto.LocalTimePattern)] string ClosesAt,
    AllocationDesignDto? Allocation,
    IReadOnlyList<int>? FollowUpWaveMonths,
    ConsentTextDto Consent,
    int? MinimumControlGroup = null,
    VoucherRulesDto? Vouchers = null,
    AnalysisPlanDto? AnalysisPlan = null) : IValidatable
{
    public static readonly string[] LocalTimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    /// <summary>The form of <see cref="LocalTimeFormats"/>, as the OpenAPI document states it; the parse below is what decides.</summary>
    public const string LocalTimePattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$";

    public const string LocalTimeMeaning = "An Amsterdam local time, yyyy-MM-ddTHH:mm or yyyy-MM-ddTHH:mm:ss, without offset: the round opens and closes by the clock in the Netherlands, summer time included.";

    public static bool TryParseLocal(string? value, out DateTime local) =>
        DateTime.TryParseExact(value, LocalTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Year is < 2000 or > 2100)
        {
            yield return ("year", "must be between 2000 and 2100");
        }

        if (Instrument is not ("ProjectSubsidy" or "Voucher"))
        {
            yield return ("instrument", "must be ProjectSubsidy or Voucher");
        }

        if (!TryParseLocal(OpensAt, out _))
        {
            yield return ("opensAt", "must be an Amsterdam local time like 2008-04-01T09:00");
        }

        if (!TryParseLocal(ClosesAt, out _))
        {
            yield return ("closesAt", "must be an Amsterdam local time like 2008-05-01T17:00");
        }

        if (Consent.Dutch is { Length: > 4000 } || Consent.English is { Length: > 4000 })
        {
            yield return ("consent", "must be at most 4000 characters per language");
        }
    }
}

public sealed record CreateRoundRequest(string Name, RoundConfigurationDto Configuration) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() =>
        TextRules.SingleLine("name", Name, 200).Concat(Configuration.Validate().Select(e => ($"configuration.{e.Field}", e.Error)));
}

public sealed record ConfigureRoundRequest(RoundConfigurationDto Configuration) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => Configuration.Validate().Select(e => ($"configuration.{e.Field}", e.Error));
}

/// <param name="PoolFreezeRefusal">Why the last request to freeze the pool was refused (the round is Closed again); null otherwise.</param>
public sealed record RoundResponse(
    string Id,
    string SchemeId,
    string Name,
    [property: ClosedSet("round-status")] string Status,
    int ConfigurationVersion,
    RoundConfigurationDto Configuration,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? PoolFrozenAt,
    string? PoolHash,
    int? PoolSize,
    long Version,
    string? PoolFreezeRefusal = null);

/// <summary>A pool member: its published pseudonym <see cref="Id"/>, and for the ministry the application behind it.</summary>
public sealed record PoolEntryResponse(string Id, string ApplicationId, string Stratum, long Amount, [property: ClosedSet("sector")] string Sector, [property: ClosedSet("size-class")] string SizeClass, bool IsPublic, DateTimeOffset SubmittedAt);

/// <summary>The frozen pool: its canonical JSON (docs/design.md §4) and hash, and the entries with baseline covariates.</summary>
public sealed record PoolResponse(string RoundId, DateTimeOffset FrozenAt, string PoolHash, string Canonical, IReadOnlyList<PoolEntryResponse> Entries);

public sealed record ThemeResponse(string Code, string Dutch, string English);

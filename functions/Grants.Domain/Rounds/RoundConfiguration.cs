using Grants.Domain.Common;
using Grants.Domain.FollowUp;
using Grants.Domain.Schemes;
using Grants.Evaluation.Dataset;

using Grants.Domain.Allocation;

namespace Grants.Domain.Rounds;

/// <summary>Who may apply: empty lists admit everyone.</summary>
public sealed record EligibilityRules(IReadOnlyList<string> Sectors, IReadOnlyList<string> SizeClasses, bool AllowPrivate, bool AllowPublic)
{
    public static EligibilityRules Everyone { get; } = new([], [], true, true);

    /// <summary>Reason codes for an organisation the rules do not admit; empty when it may apply.</summary>
    public IEnumerable<string> Findings(string sector, string sizeClass, bool isPublic)
    {
        if (Sectors.Count > 0 && !Sectors.Contains(sector, StringComparer.Ordinal))
        {
            yield return "sector-not-eligible";
        }

        if (SizeClasses.Count > 0 && !SizeClasses.Contains(sizeClass, StringComparer.Ordinal))
        {
            yield return "size-not-eligible";
        }

        if (isPublic ? !AllowPublic : !AllowPrivate)
        {
            yield return isPublic ? "public-not-eligible" : "private-not-eligible";
        }
    }
}

/// <summary>
/// How the round shares out its ceiling (docs/allocation.md): the <see cref="Method"/>; budget fill rule <c>skip</c> or
/// <c>stop</c>; order <c>lottery-then-assess</c> or <c>assess-then-lottery</c>; strata <c>none</c>, <c>sector</c>,
/// <c>size-class</c> or <c>public</c>; partial randomisation's <see cref="Band"/>; and pro rata's <see cref="MinimumGrant"/>,
/// the least (euro cents) a project can be carried out with.
/// </summary>
public sealed record AllocationDesign(
    string Rule, string Order, string Strata, IReadOnlyDictionary<string, long>? StratumBudgets = null,
    string Method = AllocationMethod.Lottery, RandomisationBand? Band = null, long? MinimumGrant = null)
{
    public static IReadOnlyList<string> Rules { get; } = ["skip", "stop"];

    public static IReadOnlyList<string> Orders { get; } = ["lottery-then-assess", "assess-then-lottery"];

    public static IReadOnlyList<string> StrataKinds { get; } = ["none", "sector", "size-class", "public"];

    /// <summary>The methods a round may be configured with.</summary>
    public static IReadOnlyList<string> Methods => AllocationMethod.All;

    public const string LotteryThenAssess = "lottery-then-assess";
    public const string AssessThenLottery = "assess-then-lottery";

    public static AllocationDesign Default { get; } = new("skip", LotteryThenAssess, "none");

    /// <summary>The design as configured, with the method's own rule and order where the configuration names none.</summary>
    public static AllocationDesign For(string method, string? rule, string? order, string strata, IReadOnlyDictionary<string, long>? stratumBudgets, RandomisationBand? band, long? minimumGrant = null) =>
        new(rule ?? (AllocationMethod.EndsAtFirstThatDoesNotFit(method) ? "stop" : "skip"),
            order ?? (RanksByScore(method) ? AssessThenLottery : LotteryThenAssess),
            strata, stratumBudgets, method, band, minimumGrant);

    /// <summary>A tender and partial randomisation order by the committee's scores, so the committee assesses before anything is drawn.</summary>
    public static bool RanksByScore(string method) => method is AllocationMethod.RankedTender or AllocationMethod.PartialRandomisation;

    /// <summary>The committee assesses every eligible application before the draw, and only those it advises positively enter the pool.</summary>
    public bool AssessesBeforeDraw => Order == AssessThenLottery;

    public string StratumOf(string sector, string sizeClass, bool isPublic) => Strata switch
    {
        "sector" => sector,
        "size-class" => sizeClass,
        "public" => isPublic ? "public" : "private",
        _ => "all",
    };
}

/// <summary>
/// How a voucher round's vouchers work: how long a voucher stays valid after it is issued, and which
/// suppliers may redeem it — knowledge institutions always; consultancies only when the round allows
/// them, and then with at least the given number of references (the rules the voucher schemes used).
/// </summary>
public sealed record VoucherRules(int ValidityDays = 365, bool ConsultanciesAllowed = true, int MinimumConsultancyReferences = 2);

/// <summary>The consent to follow-up research that every applicant must give, in both languages.</summary>
public sealed record ConsentText(string Dutch, string English);

/// <summary>
/// A round's configuration. Versioned: every change in Draft raises <see cref="Version"/>; frozen
/// once the round opens. Amounts are euro cents.
/// </summary>
/// <param name="AnalysisPlan">
/// The evaluation's analysis plan, committed with the configuration when the round opens (docs/decisions/0013);
/// null only in rounds configured before rounds had one, whose plan is <see cref="EffectiveAnalysisPlan"/>.
/// </param>
public sealed record RoundConfiguration(
    int Version,
    int Year,
    long BudgetCeilingCents,
    long MaxPerApplicationCents,
    Instrument Instrument,
    long? VoucherValueCents,
    IReadOnlyList<string> Themes,
    EligibilityRules Eligibility,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    AllocationDesign Allocation,
    IReadOnlyList<int> FollowUpWaveMonths,
    ConsentText Consent,
    int MinimumControlGroup = RoundConfiguration.DefaultMinimumControlGroup,
    VoucherRules? Vouchers = null,
    EvaluationDesign? AnalysisPlan = null)
{
    /// <summary>The wave a plan that names none takes as its primary wave: the first.</summary>
    public const int DefaultPrimaryWave = 1;

    /// <summary>The analysis plan this configuration commits to: the configured one, or the defaults, always naming its primary wave.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public EvaluationDesign EffectiveAnalysisPlan =>
        (AnalysisPlan ?? new EvaluationDesign()) is var plan && plan.PrimaryWave is null ? plan with { PrimaryWave = DefaultPrimaryWave } : plan;

    /// <summary>The voucher rules of a voucher round (defaults when not configured).</summary>
    public VoucherRules VoucherRules => Vouchers ?? new VoucherRules();

    /// <summary>
    /// "Lottery then assess": the committee assesses every application the lottery or its reserve list
    /// selects, in processing order, before the ministry decides on it. Project subsidies only: a voucher's
    /// fixed value goes to whomever the lottery selects, with no assessment of a plan (docs/design.md §3).
    /// </summary>
    public bool AssessesAfterDraw => Instrument == Instrument.ProjectSubsidy && Allocation.Order == AllocationDesign.LotteryThenAssess;

    /// <summary>An award waits for the committee's advice: where the round assesses after the draw, and where it assessed before it.</summary>
    public bool AssessesApplications => AssessesAfterDraw || Allocation.AssessesBeforeDraw;

    /// <summary>Fewer reserve (control) units than this after a budget change needs explicit confirmation.</summary>
    public const int DefaultMinimumControlGroup = 30;

    public IEnumerable<(string Field, string Error)> Problems()
    {
        if (BudgetCeilingCents <= 0 || BudgetCeilingCents > Money.MaxCents)
        {
            yield return ("budgetCeilingCents", $"must be positive and at most {Money.MaxCents} cents");
        }

        if (MaxPerApplicationCents <= 0 || MaxPerApplicationCents > BudgetCeilingCents)
        {
            yield return ("maxPerApplicationCents", "must be positive and at most the budget ceiling");
        }

        if (Instrument == Instrument.Voucher && (VoucherValueCents is not > 0 || VoucherValueCents > MaxPerApplicationCents))
        {
            yield return ("voucherValueCents", "a voucher round needs a positive voucher value within the maximum per application");
        }

        if (Instrument == Instrument.ProjectSubsidy && VoucherValueCents is not null)
        {
            yield return ("voucherValueCents", "only voucher rounds have a voucher value");
        }

        if (Themes.Count == 0)
        {
            yield return ("themes", "choose at least one theme");
        }

        foreach (var theme in Themes.Where(t => !ThemeCatalogue.IsKnown(t)))
        {
            yield return ("themes", $"'{theme}' is not a known theme");
        }

        foreach (var sector in Eligibility.Sectors.Where(s => !Sectors.IsKnown(s)))
        {
            yield return ("eligibility.sectors", $"'{sector}' is not a known sector");
        }

        foreach (var size in Eligibility.SizeClasses.Where(s => !SizeClasses.IsKnown(s)))
        {
            yield return ("eligibility.sizeClasses", $"'{size}' is not a known size class");
        }

        if (!Eligibility.AllowPrivate && !Eligibility.AllowPublic)
        {
            yield return ("eligibility", "admit private or public organisations, or both");
        }

        if (ClosesAt <= OpensAt)
        {
            yield return ("closesAt", "must be after opensAt");
        }

        if (!AllocationDesign.Rules.Contains(Allocation.Rule))
        {
            yield return ("allocation.rule", $"must be one of: {string.Join(", ", AllocationDesign.Rules)}");
        }

        if (!AllocationDesign.Orders.Contains(Allocation.Order))
        {
            yield return ("allocation.order", $"must be one of: {string.Join(", ", AllocationDesign.Orders)}");
        }

        foreach (var problem in MethodProblems())
        {
            yield return problem;
        }

        if (!AllocationDesign.StrataKinds.Contains(Allocation.Strata))
        {
            yield return ("allocation.strata", $"must be one of: {string.Join(", ", AllocationDesign.StrataKinds)}");
        }
        else if (Allocation.Strata == "none" && Allocation.StratumBudgets is { Count: > 0 })
        {
            yield return ("allocation.stratumBudgets", "only a stratified design has budgets per stratum");
        }
        else if (Allocation.Strata != "none" && Allocation.StratumBudgets is not { Count: > 0 })
        {
            yield return ("allocation.stratumBudgets", "a stratified design needs a budget per stratum");
        }
        else if (Allocation.StratumBudgets is { } budgets && (budgets.Values.Any(b => b < 0) || budgets.Values.Sum() > BudgetCeilingCents))
        {
            yield return ("allocation.stratumBudgets", "budgets per stratum must not be negative and must add up to at most the budget ceiling");
        }

        if (FollowUpWaveMonths.Count == 0 || FollowUpWaveMonths.Any(m => m is < 1 or > 120) || FollowUpWaveMonths.Distinct().Count() != FollowUpWaveMonths.Count)
        {
            yield return ("followUpWaveMonths", "give distinct wave times between 1 and 120 months after the draw");
        }

        if (Vouchers is { } rules && (rules.ValidityDays is < 1 or > 3650 || rules.MinimumConsultancyReferences is < 0 or > 20))
        {
            yield return ("vouchers", "validity must be 1 to 3650 days and references 0 to 20");
        }

        if (MinimumControlGroup < 0)
        {
            yield return ("minimumControlGroup", "must not be negative");
        }

        if (string.IsNullOrWhiteSpace(Consent.Dutch) || string.IsNullOrWhiteSpace(Consent.English))
        {
            yield return ("consent", "consent text is required in Dutch and English");
        }

        foreach (var problem in AnalysisPlanProblems(EffectiveAnalysisPlan, "analysisPlan"))
        {
            yield return problem;
        }
    }

    /// <summary>What the method asks of the rest of the design: the rule and order it works by, and a band only where it has one.</summary>
    private IEnumerable<(string Field, string Error)> MethodProblems()
    {
        var method = Allocation.Method;
        if (!AllocationDesign.Methods.Contains(method))
        {
            yield return ("allocation.method", $"must be one of: {string.Join(", ", AllocationDesign.Methods)}");
            yield break;
        }

        if (AllocationMethod.EndsAtFirstThatDoesNotFit(method) && Allocation.Rule != "stop")
        {
            yield return ("allocation.rule", method switch
            {
                AllocationMethod.FirstComeFirstServedByDay => "first come, first served funds in order of receipt and ends at the first request that does not fit: its rule is stop",
                AllocationMethod.RankedTender => "a ranked tender funds down the ranking and ends at the first request that does not fit: its rule is stop",
                AllocationMethod.ProRata => "pro rata cuts every request by the same fraction and skips none: its rule is stop",
                _ => "partial randomisation funds down the ranking, the band in drawn order, and ends at the first request that does not fit: its rule is stop",
            });
        }

        if (method == AllocationMethod.FirstComeFirstServedByDay && Allocation.Order != AllocationDesign.LotteryThenAssess)
        {
            yield return ("allocation.order", "first come, first served orders applications by receipt, and a committee assesses down that order: its order is lottery-then-assess");
        }

        if (AllocationDesign.RanksByScore(method) && Allocation.Order != AllocationDesign.AssessThenLottery)
        {
            yield return ("allocation.order", "the committee's scores rank the applications, so they are assessed before anything is drawn: the order is assess-then-lottery");
        }

        if (method == AllocationMethod.PartialRandomisation)
        {
            if (Allocation.Band is not { } band)
            {
                yield return ("allocation.band", "partial randomisation needs its band: the upper and lower score, or the size around the funding line");
            }
            else
            {
                foreach (var (field, error) in band.Problems())
                {
                    yield return ($"allocation.{field}", error);
                }
            }
        }
        else if (Allocation.Band is not null)
        {
            yield return ("allocation.band", "only partial randomisation has a band");
        }

        if (method == AllocationMethod.ProRata)
        {
            if (Allocation.MinimumGrant is not { } minimum || minimum < 1)
            {
                yield return ("allocation.minimumGrantCents", "pro rata needs the least a project can be carried out with: at least 1 cent");
            }
            else if (minimum > MaxPerApplicationCents)
            {
                yield return ("allocation.minimumGrantCents", $"is more than the round's maximum per application ({MaxPerApplicationCents} cents): no request could be granted");
            }
        }
        else if (Allocation.MinimumGrant is not null)
        {
            yield return ("allocation.minimumGrantCents", "only pro rata has a minimum grant");
        }
    }

    /// <summary>
    /// What is wrong with <paramref name="plan"/> as this round's analysis plan, as errors of the fields under
    /// <paramref name="field"/> (<c>analysisPlan.alpha</c>): the plan's own rules (<see cref="EvaluationDesign.Validate"/>),
    /// a primary wave that is one of this round's follow-up waves, and outcomes the round's evaluator export has
    /// (<see cref="SurveyCatalogue.EvaluationOutcomes"/>).
    /// </summary>
    public IEnumerable<(string Field, string Error)> AnalysisPlanProblems(EvaluationDesign plan, string field)
    {
        var problems = new List<(string Field, string Error)>();
        try
        {
            plan.Validate();
        }
        catch (DatasetException e)
        {
            foreach (var problem in e.Problems)
            {
                var text = problem.StartsWith("design.json: ", StringComparison.Ordinal) ? problem["design.json: ".Length..] : problem;
                var name = text.Split(' ')[0];
                // A malformed outcome name is not an outcome the export has either; that is said below, once, under its field.
                if (name != "outcome")
                {
                    problems.Add((PlanFields.Contains(name) ? $"{field}.{name}" : field, text));
                }
            }
        }

        var waves = FollowUpWaveMonths.Count;
        if (plan.PrimaryWave is { } wave && waves > 0 && (wave < 1 || wave > waves) && problems.All(p => p.Field != $"{field}.primaryWave"))
        {
            problems.Add(($"{field}.primaryWave", waves == 1
                ? "must be 1, the round's only follow-up wave"
                : $"must be one of the round's follow-up waves, 1 to {waves}"));
        }

        if (plan.PrimaryOutcome is { } primary && !SurveyCatalogue.EvaluationOutcomes.Contains(primary, StringComparer.Ordinal))
        {
            problems.Add(($"{field}.primaryOutcome", $"'{primary}' is not an outcome of the evaluator export; choose one of: {string.Join(", ", SurveyCatalogue.EvaluationOutcomes)}"));
        }

        foreach (var outcome in (plan.OutcomeFamily ?? []).Where(o => !SurveyCatalogue.EvaluationOutcomes.Contains(o, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            problems.Add(($"{field}.outcomeFamily", $"'{outcome}' is not an outcome of the evaluator export; choose from: {string.Join(", ", SurveyCatalogue.EvaluationOutcomes)}"));
        }

        return problems;
    }

    /// <summary>The analysis plan's fields by their JSON names, as the problems of <see cref="EvaluationDesign.Validate"/> begin.</summary>
    private static readonly string[] PlanFields = ["alpha", "power", "primaryWave", "primaryOutcome", "outcomeFamily", "randomisationDraws", "seed", "primaryEstimator"];
}

namespace Grants.Evaluation.Reporting;

// The report as published in report.json; contracts/schemas/evaluation-report.schema.json describes it.
// Numbers that cannot be computed (an empty arm, no variation) are null, never NaN.

/// <param name="AnalysisPlan">How the plan used relates to the plan committed before the draw; null when no committed plan was given.</param>
public sealed record EvaluationReport(
    string Schema,
    ReportSource Source,
    DesignSummary Design,
    AnalysisPlanCheck? AnalysisPlan,
    Chances Chances,
    Consort Consort,
    BalanceTable Balance,
    IReadOnlyList<AttritionRow> Attrition,
    IReadOnlyList<ExperimentalDeadweight> ExperimentalDeadweight,
    IReadOnlyList<SelfReportedDeadweight> SelfReportedDeadweight,
    MdeSummary? Mde,
    IReadOnlyList<OutcomeEntry> Outcomes,
    IReadOnlyList<string> Limitations,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] AllocationStatement? Allocation = null)
{
    public const string SchemaId = "urn:grants:evaluation-report:2";

    /// <summary>The declared primary outcome of the declared primary wave; null when it has no data yet.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public OutcomeEntry? PrimaryOutcome => Outcomes.FirstOrDefault(o => o.Wave == Design.PrimaryWave && o.Outcome == Design.PrimaryOutcome);
}

/// <summary>
/// How a round allocated by a method other than the lottery was randomised: only the group drawn at each stratum's line,
/// whose units alone are compared; the rest of the pool was funded, left waiting or turned down whatever the draw.
/// </summary>
/// <param name="Statement">The same in one sentence, for the reader of the report.</param>
public sealed record AllocationStatement(string Method, int Randomised, int LeftOut, string Statement, IReadOnlyList<string> Lines);

/// <summary>
/// The randomised units' chances of winning, which decide the primary estimate: <c>equal</c> (every unit
/// the same), <c>by-stratum</c> (constant within each stratum, different between them) or
/// <c>within-stratum</c> (different within a stratum, as when a budget fits small requests more often).
/// </summary>
public sealed record Chances(string Pattern, double Lowest, double Highest, string Description)
{
    /// <summary>More than one stratum among the randomised units.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Stratified { get; init; }

    public const string Equal = "equal";
    public const string ByStratum = "by-stratum";
    public const string WithinStratum = "within-stratum";
}

/// <summary>The analysis plan used, checked against the one committed before the draw (the lottery protocol's analysisPlanHash).</summary>
/// <param name="Hash">The hash of the plan this report used.</param>
/// <param name="CommittedHash">The hash committed before the draw.</param>
/// <param name="CommittedAt">When it was committed; null when only the protocol's hash was given.</param>
/// <param name="Matches">True when the plan used is the committed plan.</param>
/// <param name="Departures">Each field the plan used changes, as "field: committed → used" (empty when it matches, or when the committed plan itself was not given).</param>
/// <param name="AmendedOn">When the plan used was put in force by a recorded amendment: that amendment; otherwise null.</param>
public sealed record AnalysisPlanCheck(string Hash, string CommittedHash, DateTimeOffset? CommittedAt, bool Matches, IReadOnlyList<string> Departures, PlanAmendmentSummary? AmendedOn, IReadOnlyList<PlanAmendmentSummary> Amendments, string Statement);

public sealed record PlanAmendmentSummary(DateTimeOffset At, string By, string Reason, string Hash);

/// <summary>
/// Experimental deadweight in one wave: the share of projects that went ahead without the subsidy, from the
/// lottery's comparison group. Design-weighted share of the losers, or, where funding did not follow the
/// lottery for everyone, the complier mean of the untreated outcome; <see cref="Method"/> says which.
/// </summary>
/// <param name="N">The respondents the estimate rests on (the losers for the share; everyone analysed for the complier mean).</param>
/// <param name="Unweighted">The plain share of responding losers that went ahead, for comparison.</param>
public sealed record ExperimentalDeadweight(int Wave, double? Estimate, Ci? Ci, string Method, int N, double? Unweighted);

/// <summary>The test the headline reports: the design's, as <see cref="PrimaryEstimate"/> is the design's estimate.</summary>
/// <param name="McSe">The Monte Carlo standard error of <paramref name="P"/>; null when the p-value is exact.</param>
/// <param name="HolmP">Holm-adjusted across the primary tests of the wave's outcome family; null outside the family.</param>
public sealed record PrimaryTest(double? P, double? McSe, double? HolmP, string Method);

/// <summary>The estimate the design justifies, chosen by the rule of the analysis plan (docs/evaluation.md), and why.</summary>
/// <param name="Estimator">"difference", "blocked" or "hajek".</param>
public sealed record PrimaryEstimate(string Estimator, double? Estimate, double? Se, double? Df, Ci Ci, string Method, string Reason, PrimaryTest Test);

public sealed record ReportSource(int Units, IReadOnlyList<string> Rounds, IReadOnlyList<string> Strata, IReadOnlyList<int> Waves, string UnitsSha256);

public sealed record DesignSummary(double Alpha, double Power, int? PrimaryWave, string PrimaryOutcome, IReadOnlyList<string> OutcomeFamily, int RandomisationDraws, int Seed, string PrimaryEstimator);

/// <param name="NotRandomised">Pool units whose chance was 0 or 1; they are outside every comparison, and outside the strata and arms below.</param>
public sealed record Consort(int Pool, int NotRandomised, IReadOnlyList<ConsortStratum> Strata, ConsortArm Treatment, ConsortArm Control, IReadOnlyList<ConsortWave> Waves);

public sealed record ConsortStratum(string Stratum, int Pool, int Assigned);

/// <param name="Allocated">Units assigned to this arm by the lottery.</param>
/// <param name="Received">Units of this arm that received the subsidy (for the control arm: crossovers).</param>
public sealed record ConsortArm(int Allocated, int Received, int NotReceived);

public sealed record ConsortWave(int Wave, ConsortWaveArm Treatment, ConsortWaveArm Control);

/// <param name="Analysed">Units with the primary outcome observed in this wave.</param>
public sealed record ConsortWaveArm(int Allocated, int Responded, int Lost, int Analysed);

public sealed record BalanceTable(IReadOnlyList<BalanceRow> Rows, double Threshold, string Method);

public sealed record BalanceRow(string Covariate, double? TreatmentMean, double? ControlMean, double? NormalisedDifference, double? WeightedNormalisedDifference, bool Flagged);

public sealed record AttritionRow(int Wave, AttritionArm Treatment, AttritionArm Control, double? Differential, double? FisherP, string Method);

public sealed record AttritionArm(int Assigned, int Responded, double? Rate);

public sealed record SelfReportedDeadweight(int Wave, int X, int N, double? P, Ci? Ci, string Method);

public sealed record MdeSummary(int Wave, string Outcome, double Baseline, int NTreatment, int NControl, double Alpha, double Power, double? Mde, string Method);

public sealed record Ci(double? Lower, double? Upper);

/// <param name="X">Successes (0/1 outcomes only).</param>
/// <param name="Sd">Standard deviation (continuous outcomes only).</param>
public sealed record ArmSummary(int? X, int N, double? P, double? Sd, Ci? Ci);

/// <param name="Note">Why the estimate is missing, or how it departs from its method's usual form; null otherwise.</param>
public sealed record EstimateEntry(double? Estimate, double? Se, double? Df, Ci Ci, string Method, string? Note = null);

public sealed record ComplierMeansEntry(double? Untreated, double? Treated, double? ComplierShare, string Method);

public sealed record LeeEntry(double? Lower, double? Upper, double TrimmedShare, string TrimmedArm, string Method);

public sealed record StratumEffect(string Stratum, int NTreatment, int NControl, double? Estimate, Ci? Ci);

/// <summary>One outcome of one wave. The arms are the respondents by assignment (intention to treat).</summary>
/// <param name="Kind">"binary" (0/1) or "continuous".</param>
/// <param name="Primary">The estimate and test the design justifies; the one to read first.</param>
/// <param name="Difference">The unadjusted difference of the arms, whatever the chances were.</param>
/// <param name="Methods">The method behind each scalar field (arms, fisherP, welchP, riP, holmP).</param>
public sealed record OutcomeEntry(
    int Wave,
    string Outcome,
    string Kind,
    bool InFamily,
    PrimaryEstimate Primary,
    ArmSummary Control,
    ArmSummary Treatment,
    EstimateEntry Difference,
    double? FisherP,
    double? WelchP,
    EstimateEntry? Blocked,
    EstimateEntry? Hajek,
    EstimateEntry? Cace,
    ComplierMeansEntry? ComplierMeans,
    LeeEntry? Lee,
    double? RiP,
    double? RiMcSe,
    bool RiExact,
    double? HolmP,
    IReadOnlyList<StratumEffect> ByStratum,
    IReadOnlyDictionary<string, string> Methods);

namespace Grants.Evaluation.Reporting;

// The report as published in report.json; contracts/schemas/evaluation-report.schema.json describes it.
// Numbers that cannot be computed (an empty arm, no variation) are null, never NaN.

public sealed record EvaluationReport(
    string Schema,
    ReportSource Source,
    DesignSummary Design,
    Consort Consort,
    BalanceTable Balance,
    IReadOnlyList<AttritionRow> Attrition,
    IReadOnlyList<SelfReportedDeadweight> SelfReportedDeadweight,
    MdeSummary? Mde,
    IReadOnlyList<OutcomeEntry> Outcomes,
    IReadOnlyList<string> Limitations)
{
    public const string SchemaId = "urn:grants:evaluation-report:1";
}

public sealed record ReportSource(int Units, IReadOnlyList<string> Rounds, IReadOnlyList<string> Strata, IReadOnlyList<int> Waves, string UnitsSha256);

public sealed record DesignSummary(double Alpha, double Power, int? PrimaryWave, string PrimaryOutcome, IReadOnlyList<string> OutcomeFamily, int RandomisationDraws, int Seed);

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

public sealed record EstimateEntry(double? Estimate, double? Se, double? Df, Ci Ci, string Method);

public sealed record ComplierMeansEntry(double? Untreated, double? Treated, double? ComplierShare, string Method);

public sealed record LeeEntry(double? Lower, double? Upper, double TrimmedShare, string TrimmedArm, string Method);

public sealed record StratumEffect(string Stratum, int NTreatment, int NControl, double? Estimate, Ci? Ci);

/// <summary>One outcome of one wave. The arms are the respondents by assignment (intention to treat).</summary>
/// <param name="Kind">"binary" (0/1) or "continuous".</param>
/// <param name="Methods">The method behind each scalar field (arms, fisherP, welchP, riP, holmP).</param>
public sealed record OutcomeEntry(
    int Wave,
    string Outcome,
    string Kind,
    bool InFamily,
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

using Grants.Evaluation.Dataset;
using Grants.Evaluation.Estimators;
using Grants.Evaluation.Planning;

namespace Grants.Evaluation.Reporting;

/// <summary>
/// Turns an evaluator dataset into the report: for every wave and outcome the intention-to-treat
/// comparison of respondents by assignment with all the corrections of docs/design.md §5, and around it the
/// CONSORT flow, balance, attrition, self-reported deadweight and the minimum detectable effect.
/// Pure: the same dataset and design always give the same report.
/// </summary>
public static class ReportBuilder
{
    public const string ArmsBinaryMethod = Proportions.WilsonMethod;
    public const string ArmsContinuousMethod = "Mean with a t interval";
    public const string HolmInputMethod = "Holm step-down adjustment (Holm 1979) of fisherP (0/1 outcomes) or welchP (continuous) across the declared outcome family, per wave; primary.test.holmP adjusts the primary tests the same way";
    public const string ComplierDeadweightMethod = "Complier mean of the untreated outcome (Imbens & Rubin 1997): of the organisations whose funding followed the lottery, the share that went ahead without the subsidy; 2SLS with the lottery weights, HC2 standard error, t interval clipped to 0–1";

    /// <summary>Chances closer than this count as equal (they are read from a CSV as decimals).</summary>
    public const double ChanceTolerance = 1e-9;

    /// <summary>The outcome experimental deadweight is measured on: the project went ahead in any form.</summary>
    public const string DeadweightOutcome = "realised";
    public const string AttritionMethod = "Response rate per arm among all assigned units; differential = treatment − control; Fisher exact p";
    public const string SelfReportedMethod = "Share of responding recipients saying the project would have gone exactly the same without the subsidy; Wilson score interval (Newcombe 1998a, method 3)";

    public static readonly string[] Limitations =
    [
        "The lottery compares applicants with each other. It cannot measure displacement: funded organisations may take work or staff from organisations that did not apply.",
        "It cannot measure leakage or spill-overs: losers may copy winners' projects, or advisers may carry ideas between them, which makes the measured effect smaller than the true one.",
        "It speaks for organisations that applied and were eligible, not for all employers; those who did not apply may differ.",
        "Self-reported deadweight rests on a hypothetical question asked after the fact; the experimental figure from the losers does not.",
        "Outcomes come from a survey; attrition is shown per arm and bounded by Lee's method, but answers may still be coloured by having won or lost.",
    ];

    public static EvaluationReport Build(EvaluationInput input) => Build(input.Dataset, input.Design, input.UnitsSha256, input.Commitment, input.DesignDeclared, input.Allocation);

    /// <param name="commitment">The plan committed before the draw, to check the plan used against; null when none was given.</param>
    /// <param name="designDeclared">False when <paramref name="design"/> is the default plan because no design.json was given; problems then do not blame a file.</param>
    /// <param name="allocation">The round's method, when it is not the lottery; the report then says which units it randomised.</param>
    public static EvaluationReport Build(EvaluationDataset pool, EvaluationDesign design, string unitsSha256, PlanCommitment? commitment = null, bool designDeclared = true, AllocationNote? allocation = null)
    {
        // Units whose chance was 0 or 1 (a request that always fitted the budget, or never could) were not
        // part of the experiment: they are counted, and left out of every comparison.
        var randomised = Enumerable.Range(0, pool.Count).Where(pool.IsRandomised).ToArray();
        if (randomised.Length == 0)
        {
            throw new DatasetException([allocation is null
                ? "no unit had a chance strictly between 0 and 1: the lottery decided nothing, so there is no comparison to make"
                : (allocation.Method == "pro-rata"
                    ? $"no unit had a chance strictly between 0 and 1: pro rata draws nothing ({string.Join("; ", allocation.Lines)}), so there is no control group and no experimental estimate is possible. "
                    : $"no unit had a chance strictly between 0 and 1: under {allocation.Method} the draw decided nothing in this round ({string.Join("; ", allocation.Lines)}), so no experimental estimate is possible. ")
                  + "A band of partial randomisation around the funding line, or a lottery, would give one."]);
        }

        var data = randomised.Length == pool.Count ? pool : pool.Select(randomised);
        CheckDesign(data, design, designDeclared);
        var primaryWave = design.PrimaryWave ?? data.Waves.FirstOrDefault()?.Number;
        var outcomes = data.Waves
            .SelectMany(w => w.Outcomes.Where(o => o.Name != UnitColumns.SelfDeadweight).Select(o => (Wave: w, Outcome: o)))
            .ToArray();
        var chances = ChancesOf(data);
        var entries = new OutcomeEntry[outcomes.Length];
        Parallel.For(0, outcomes.Length, i => entries[i] = Outcome(data, design, chances, outcomes[i].Wave, outcomes[i].Outcome));
        var nonCompliance = Enumerable.Range(0, data.Count).Any(i => data.Assigned[i] != data.Treated[i]);

        return new EvaluationReport(
            EvaluationReport.SchemaId,
            new ReportSource(pool.Count, data.RoundIds.Distinct().Order(StringComparer.Ordinal).ToArray(), data.Strata.Distinct().Order(StringComparer.Ordinal).ToArray(), data.Waves.Select(w => w.Number).ToArray(), unitsSha256),
            new DesignSummary(design.Alpha, design.Power, primaryWave, design.PrimaryOutcome, design.OutcomeFamily, design.RandomisationDraws, design.Seed, design.PrimaryEstimator),
            commitment is null ? null : PlanCheck.Of(design with { PrimaryWave = primaryWave }, commitment),
            chances,
            ConsortFlow(data, design, pool.Count - data.Count),
            BalanceOf(data),
            data.Waves.Select(w => AttritionOf(data, w)).ToArray(),
            data.Waves.Select(w => ExperimentalDeadweightOf(data, w, design, nonCompliance)).OfType<ExperimentalDeadweight>().ToArray(),
            data.Waves.Select(w => SelfReported(data, w, design)).Where(s => s is not null).Select(s => s!).ToArray(),
            MdeOf(data, design, primaryWave),
            WithHolm(entries, design),
            Limitations,
            allocation is null ? null : StatementOf(allocation, randomised.Length, pool.Count - randomised.Length));
    }

    private static void CheckDesign(EvaluationDataset data, EvaluationDesign design, bool declared)
    {
        design.Validate();
        var problems = new List<string>();
        // A plan read from design.json is named as such; the defaults are not a file the reader could fix.
        var source = declared ? "design.json:" : "the default analysis plan (there is no design.json):";
        var names = data.Waves.SelectMany(w => w.Outcomes.Select(o => o.Name)).ToHashSet();
        if (design.PrimaryWave is { } wave && data.Waves.All(w => w.Number != wave))
        {
            problems.Add($"{source} primaryWave {wave} is not in units.csv (waves: {string.Join(", ", data.Waves.Select(w => w.Number))})");
        }

        if (data.Waves.Count > 0 && !names.Contains(design.PrimaryOutcome))
        {
            problems.Add($"{source} primaryOutcome '{design.PrimaryOutcome}' is not an outcome column of units.csv");
        }

        problems.AddRange(design.OutcomeFamily.Where(o => data.Waves.Count > 0 && !names.Contains(o)).Select(o => $"{source} outcomeFamily names '{o}', which is not an outcome column of units.csv{(declared ? string.Empty : "; declare the outcome family in a design.json beside units.csv")}"));
        if (problems.Count > 0)
        {
            throw new DatasetException(problems);
        }
    }

    private static OutcomeEntry Outcome(EvaluationDataset data, EvaluationDesign design, Chances chances, Wave wave, OutcomeColumn outcome)
    {
        var analysed = Enumerable.Range(0, data.Count).Where(i => wave.Responded[i] && !double.IsNaN(outcome.Values[i])).ToArray();
        var treatment = analysed.Where(i => data.Assigned[i]).Select(i => outcome.Values[i]).ToArray();
        var control = analysed.Where(i => !data.Assigned[i]).Select(i => outcome.Values[i]).ToArray();
        var bothArms = treatment.Length > 0 && control.Length > 0;
        var methods = new Dictionary<string, string>
        {
            ["arms"] = outcome.Binary ? ArmsBinaryMethod : ArmsContinuousMethod,
            ["riP"] = RandomisationInference.ExactMethod,
            ["holmP"] = HolmInputMethod,
        };

        ArmSummary controlArm, treatmentArm;
        EstimateEntry difference;
        double? fisherP = null, welchP = null;
        if (outcome.Binary)
        {
            var (x1, x0) = ((int)treatment.Sum(), (int)control.Sum());
            (treatmentArm, controlArm) = (BinaryArm(x1, treatment.Length, design), BinaryArm(x0, control.Length, design));
            if (bothArms)
            {
                var (estimate, ci) = Proportions.NewcombeDifference(x1, treatment.Length, x0, control.Length, Z(design));
                difference = new EstimateEntry(estimate, null, null, new Ci(ci.Lower, ci.Upper), ci.Method);
                fisherP = FisherExact.TwoSidedP(x1, treatment.Length - x1, x0, control.Length - x0);
                methods["fisherP"] = FisherExact.Method;
            }
            else
            {
                difference = new EstimateEntry(null, null, null, new Ci(null, null), Proportions.NewcombeMethod, OneArmOnly(treatment.Length));
            }
        }
        else
        {
            (treatmentArm, controlArm) = (ContinuousArm(treatment, design), ContinuousArm(control, design));
            var neyman = treatment.Length > 1 && control.Length > 1 ? Differences.Neyman(treatment, control, design.Alpha) : null;
            difference = Entry(neyman, Differences.NeymanMethod) with { Note = neyman is null ? "Each arm needs at least two respondents for a standard error." : null };
            welchP = neyman is null ? null : Finite(StudentT.TwoSidedP(neyman.Value / neyman.Se, neyman.Df ?? double.NaN));
            methods["welchP"] = "Welch two-sample t test";
        }

        var strata = analysed.GroupBy(i => data.Strata[i]).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var blocks = strata.Select(g => (Treated: (IReadOnlyList<double>)g.Where(i => data.Assigned[i]).Select(i => outcome.Values[i]).ToArray(), Control: (IReadOnlyList<double>)g.Where(i => !data.Assigned[i]).Select(i => outcome.Values[i]).ToArray())).ToArray();
        var blocked = BlockedEntry(blocks, strata.Select(g => g.Key).ToArray(), design);

        var weighted = analysed.Select(i => new WeightedUnit(outcome.Values[i], data.Assigned[i], data.Weight(i))).ToArray();
        var hajek = bothArms && treatment.Length + control.Length > 2 ? Weighted.Hajek(weighted, design.Alpha) : null;
        var compliance = analysed.Select(i => new ComplianceUnit(outcome.Values[i], data.Assigned[i], data.Treated[i], data.Weight(i))).ToArray();
        var cace = bothArms ? NonCompliance.Cace(compliance, design.Alpha) : null;
        var complierMeans = bothArms ? NonCompliance.Means(compliance) : null;

        var lee = LeeFor(data, wave, outcome, analysed);
        var ri = bothArms
            ? RandomisationInference.Blocked(strata.Select(g => (IReadOnlyList<(double, bool)>)g.Select(i => (outcome.Values[i], data.Assigned[i])).ToArray()).ToArray(), draws: design.RandomisationDraws, seed: design.Seed)
            : null;
        if (ri is not null)
        {
            methods["riP"] = ri.Method;
        }

        var hajekEntry = hajek is null ? null : Entry(hajek, Weighted.HajekMethod);
        var byStratum = strata.Select((g, s) => StratumEffectOf(g.Key, blocks[s].Treated, blocks[s].Control, outcome.Binary, design)).ToArray();
        var primary = PrimaryOf(chances, outcome.Binary, difference, blocked, hajekEntry,
            outcome.Binary ? new PrimaryTest(fisherP, null, null, FisherExact.Method) : new PrimaryTest(welchP, null, null, methods["welchP"]),
            new PrimaryTest(ri?.P, ri is { Exact: false } ? ri.McSe : null, null, ri?.Method ?? RandomisationInference.ExactMethod));
        return new OutcomeEntry(
            wave.Number, outcome.Name, outcome.Binary ? "binary" : "continuous", design.OutcomeFamily.Contains(outcome.Name), primary,
            controlArm, treatmentArm, difference, fisherP, welchP,
            blocked,
            hajekEntry,
            cace is null ? null : Entry(cace, NonCompliance.CaceMethod),
            complierMeans is null ? null : new ComplierMeansEntry(Finite(complierMeans.Untreated), Finite(complierMeans.Treated), Finite(complierMeans.ComplierShare), complierMeans.Method),
            lee, ri is null ? null : ri.P, ri is null ? null : ri.McSe, ri?.Exact ?? false, null, byStratum, methods);
    }

    private static string OneArmOnly(int treated) => treated == 0 ? "No winner answered." : "No loser answered.";

    /// <summary>The blocked estimate, or an entry saying why there is none: a stratum whose respondents are all in one arm has no contrast.</summary>
    private static EstimateEntry? BlockedEntry((IReadOnlyList<double> Treated, IReadOnlyList<double> Control)[] blocks, string[] names, EvaluationDesign design)
    {
        if (blocks.Length == 0)
        {
            return null;
        }

        var oneSided = names.Where((_, j) => blocks[j].Treated.Count == 0 || blocks[j].Control.Count == 0).ToArray();
        if (oneSided.Length > 0)
        {
            return new EstimateEntry(null, null, null, new Ci(null, null), Differences.BlockedMethod,
                $"Stratum {string.Join(", ", oneSided)} has respondents in one arm only, so it has no contrast of its own.");
        }

        return Entry(Differences.Blocked(blocks, design.Alpha, names), Differences.BlockedMethod);
    }

    /// <summary>
    /// The primary estimate by the plan's rule: the plain difference only when every unit had the same chance;
    /// otherwise the blocked estimate when chances are constant within strata; otherwise Hajek. The test goes
    /// with it: Fisher's (or Welch's) when chances are equal, randomisation inference within strata when not.
    /// </summary>
    private static PrimaryEstimate PrimaryOf(Chances chances, bool binary, EstimateEntry difference, EstimateEntry? blocked, EstimateEntry? hajek, PrimaryTest plainTest, PrimaryTest designTest)
    {
        static PrimaryEstimate From(string estimator, EstimateEntry? entry, string method, string reason, PrimaryTest test) =>
            entry is { Estimate: not null }
                ? new PrimaryEstimate(estimator, entry.Estimate, entry.Se, entry.Df, entry.Ci, entry.Method, entry.Note is null ? reason : $"{reason} {entry.Note}", test)
                : new PrimaryEstimate(estimator, null, null, null, new Ci(null, null), method, $"{reason} It cannot be computed: {entry?.Note ?? "too few respondents."}", test with { P = null, McSe = null });

        switch (chances.Pattern)
        {
            case Chances.Equal:
                return From("difference", difference, difference.Method,
                    $"Every applicant in the draw had the same chance of winning ({Chance(chances.Lowest)}), so the plain difference between winners and losers is unbiased{(binary ? "; Fisher's exact test goes with it." : "; Welch's test goes with it.")}",
                    plainTest);
            case Chances.ByStratum when blocked is { Estimate: not null }:
                return From("blocked", blocked, Differences.BlockedMethod,
                    $"Chances differed between strata ({Chance(chances.Lowest)} to {Chance(chances.Highest)}) but not within them, so the difference is taken within each stratum and weighted by the stratum's share of respondents; the test re-draws the lottery within strata.",
                    designTest);
            case Chances.ByStratum:
                return From("hajek", hajek, Weighted.HajekMethod,
                    $"Chances differed between strata ({Chance(chances.Lowest)} to {Chance(chances.Highest)}); the blocked estimate cannot be computed ({blocked?.Note ?? "no strata"}), so each respondent is weighted by the inverse of its chance (Hajek) instead; the test re-draws the lottery within strata.",
                    designTest);
            default:
                return From("hajek", hajek, Weighted.HajekMethod,
                    chances.Stratified
                        ? $"Chances differed within strata ({Chance(chances.Lowest)} to {Chance(chances.Highest)}), so each respondent is weighted by the inverse of its own chance (Hajek); the test re-draws the lottery within strata with the same number of winners, which treats chances within a stratum as equal and is then an approximation."
                        : $"Chances differed between applicants ({Chance(chances.Lowest)} to {Chance(chances.Highest)}), so each respondent is weighted by the inverse of its own chance (Hajek); the test re-draws the lottery with the same number of winners, which treats every chance as equal and is then an approximation.",
                    designTest);
        }
    }

    private static string Chance(double p) => p.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How the randomised units' chances differ, which decides the primary estimate.</summary>
    private static Chances ChancesOf(EvaluationDataset data)
    {
        var (lowest, highest) = (data.PAssign.Min(), data.PAssign.Max());
        var strata = Enumerable.Range(0, data.Count).GroupBy(i => data.Strata[i]).ToArray();
        if (highest - lowest <= ChanceTolerance)
        {
            return new Chances(Chances.Equal, lowest, highest, $"Every randomised applicant had the same chance of winning, {Chance(lowest)}.") { Stratified = strata.Length > 1 };
        }

        var withinStrata = strata.Any(g => g.Max(i => data.PAssign[i]) - g.Min(i => data.PAssign[i]) > ChanceTolerance);
        return withinStrata
            ? new Chances(Chances.WithinStratum, lowest, highest, $"Chances of winning ranged from {Chance(lowest)} to {Chance(highest)} and differed {(strata.Length > 1 ? "within strata" : "between applicants")}.") { Stratified = strata.Length > 1 }
            : new Chances(Chances.ByStratum, lowest, highest, $"Chances of winning ranged from {Chance(lowest)} to {Chance(highest)}: the same within each stratum, different between strata.") { Stratified = true };
    }

    /// <summary>
    /// The share of projects that would have gone ahead without the subsidy, from the lottery's comparison
    /// group: the losers' share weighted by 1/(1−p) so that they stand for the whole pool, or — when
    /// funding did not follow the lottery for everyone — the complier mean of the untreated outcome.
    /// </summary>
    private static ExperimentalDeadweight? ExperimentalDeadweightOf(EvaluationDataset data, Wave wave, EvaluationDesign design, bool nonCompliance)
    {
        var realised = wave.Outcome(DeadweightOutcome);
        if (realised is null)
        {
            return null;
        }

        var analysed = Enumerable.Range(0, data.Count).Where(i => wave.Responded[i] && !double.IsNaN(realised.Values[i])).ToArray();
        var losers = analysed.Where(i => !data.Assigned[i]).ToArray();
        var unweighted = losers.Length == 0 ? (double?)null : losers.Average(i => realised.Values[i]);
        if (nonCompliance && analysed.Any(i => data.Assigned[i]) && losers.Length > 0)
        {
            // The untreated complier mean is the 2SLS slope of Y·(1−D) on (1−D) with "lost the draw" as the instrument.
            var flipped = analysed.Select(i => new ComplianceUnit(data.Treated[i] ? 0 : realised.Values[i], !data.Assigned[i], !data.Treated[i], data.Weight(i))).ToArray();
            if (NonCompliance.Cace(flipped, design.Alpha) is { } complier && double.IsFinite(complier.Value))
            {
                var ci = new Ci(Finite(Math.Clamp(complier.Ci.Lower, 0, 1)), Finite(Math.Clamp(complier.Ci.Upper, 0, 1)));
                return new ExperimentalDeadweight(wave.Number, Math.Clamp(complier.Value, 0, 1), ci, ComplierDeadweightMethod, analysed.Length, unweighted);
            }
        }

        if (losers.Length == 0)
        {
            return new ExperimentalDeadweight(wave.Number, null, null, Proportions.WeightedWilsonMethod, 0, null);
        }

        var (p, _, interval) = Proportions.WeightedWilson(losers.Select(i => (realised.Values[i], data.Weight(i))).ToArray(), Z(design));
        return new ExperimentalDeadweight(wave.Number, p, new Ci(interval.Lower, interval.Upper), Proportions.WeightedWilsonMethod, losers.Length, unweighted);
    }

    private static LeeEntry? LeeFor(EvaluationDataset data, Wave wave, OutcomeColumn outcome, int[] analysed)
    {
        double Rate(bool arm)
        {
            double all = 0, answered = 0;
            for (var i = 0; i < data.Count; i++)
            {
                if (data.Assigned[i] == arm)
                {
                    all += data.Weight(i);
                    answered += wave.Responded[i] && !double.IsNaN(outcome.Values[i]) ? data.Weight(i) : 0;
                }
            }

            return all == 0 ? double.NaN : answered / all;
        }

        var treatment = analysed.Where(i => data.Assigned[i]).Select(i => (outcome.Values[i], data.Weight(i))).ToArray();
        var control = analysed.Where(i => !data.Assigned[i]).Select(i => (outcome.Values[i], data.Weight(i))).ToArray();
        var bounds = LeeBounds.Estimate(treatment, control, Rate(true), Rate(false));
        return bounds is null ? null : new LeeEntry(Finite(bounds.Lower), Finite(bounds.Upper), bounds.TrimmedShare, bounds.TrimmedArm, bounds.Method);
    }

    private static StratumEffect StratumEffectOf(string stratum, IReadOnlyList<double> treated, IReadOnlyList<double> control, bool binary, EvaluationDesign design)
    {
        if (treated.Count == 0 || control.Count == 0)
        {
            return new StratumEffect(stratum, treated.Count, control.Count, null, null);
        }

        if (binary)
        {
            var (estimate, ci) = Proportions.NewcombeDifference((int)treated.Sum(), treated.Count, (int)control.Sum(), control.Count, Z(design));
            return new StratumEffect(stratum, treated.Count, control.Count, estimate, new Ci(ci.Lower, ci.Upper));
        }

        if (treated.Count < 2 || control.Count < 2)
        {
            return new StratumEffect(stratum, treated.Count, control.Count, treated.Average() - control.Average(), null);
        }

        var neyman = Differences.Neyman(treated, control, design.Alpha);
        return new StratumEffect(stratum, treated.Count, control.Count, neyman.Value, new Ci(Finite(neyman.Ci.Lower), Finite(neyman.Ci.Upper)));
    }

    private static IReadOnlyList<OutcomeEntry> WithHolm(OutcomeEntry[] entries, EvaluationDesign design)
    {
        var adjusted = entries.ToArray();
        foreach (var wave in entries.GroupBy(e => e.Wave))
        {
            var family = wave.Where(e => e.InFamily && (e.FisherP ?? e.WelchP) is not null).ToArray();
            var holm = Multiplicity.Holm(family.Select(e => (e.FisherP ?? e.WelchP)!.Value).ToArray());
            for (var i = 0; i < family.Length; i++)
            {
                var index = Array.IndexOf(entries, family[i]);
                adjusted[index] = adjusted[index] with { HolmP = holm[i] };
            }

            // The primary tests of the family are adjusted together as well: the p-values a reader sees first.
            var tested = wave.Where(e => e.InFamily && e.Primary.Test.P is not null).ToArray();
            var primaryHolm = Multiplicity.Holm(tested.Select(e => e.Primary.Test.P!.Value).ToArray());
            for (var i = 0; i < tested.Length; i++)
            {
                var index = Array.IndexOf(entries, tested[i]);
                adjusted[index] = adjusted[index] with { Primary = adjusted[index].Primary with { Test = adjusted[index].Primary.Test with { HolmP = primaryHolm[i] } } };
            }
        }

        return adjusted;
    }

    /// <summary>Which units a method other than the lottery randomised, and that only they are compared (docs/allocation.md).</summary>
    private static AllocationStatement StatementOf(AllocationNote allocation, int randomised, int leftOut)
    {
        var (how, drawn, rest) = allocation.Method switch
        {
            "fcfs-day" => ("first come, first served by day of receipt", "the applications of the day the budget ran out", "funded on an earlier day or not reached on a later one"),
            "ranked-tender" => ("ranked tender", "the applications tied at the funding line", "ranked above or below the line"),
            "partial-randomisation" => ("partial randomisation", "the band around the funding line", "funded directly, waiting behind the band or turned down below it"),
            var other => (other, "the group drawn at the line", "placed before or after it"),
        };
        return new AllocationStatement(allocation.Method, randomised, leftOut,
            $"Allocated by {how}: only {drawn} were drawn, so only those {randomised} are compared; {leftOut} {rest}, whatever the draw, are left out.",
            allocation.Lines);
    }

    private static Consort ConsortFlow(EvaluationDataset data, EvaluationDesign design, int notRandomised)
    {
        var units = Enumerable.Range(0, data.Count).ToArray();
        ConsortArm Arm(bool arm)
        {
            var members = units.Where(i => data.Assigned[i] == arm).ToArray();
            var received = members.Count(i => data.Treated[i]);
            return new ConsortArm(members.Length, received, members.Length - received);
        }

        ConsortWaveArm WaveArm(Wave wave, bool arm)
        {
            var members = units.Where(i => data.Assigned[i] == arm).ToArray();
            var responded = members.Count(i => wave.Responded[i]);
            var primary = wave.Outcome(design.PrimaryOutcome);
            var analysed = primary is null ? responded : members.Count(i => wave.Responded[i] && !double.IsNaN(primary.Values[i]));
            return new ConsortWaveArm(members.Length, responded, members.Length - responded, analysed);
        }

        return new Consort(
            data.Count + notRandomised,
            notRandomised,
            units.GroupBy(i => data.Strata[i]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new ConsortStratum(g.Key, g.Count(), g.Count(i => data.Assigned[i]))).ToArray(),
            Arm(true),
            Arm(false),
            data.Waves.Select(w => new ConsortWave(w.Number, WaveArm(w, true), WaveArm(w, false))).ToArray());
    }

    private static BalanceTable BalanceOf(EvaluationDataset data)
    {
        var rows = new List<BalanceRow>();
        void Add(string name, Func<int, double> value)
        {
            var units = Enumerable.Range(0, data.Count).Where(i => !double.IsNaN(value(i))).ToArray();
            var treated = units.Where(i => data.Assigned[i]).ToArray();
            var control = units.Where(i => !data.Assigned[i]).ToArray();
            if (treated.Length < 2 || control.Length < 2)
            {
                rows.Add(new BalanceRow(name, null, null, null, null, false));
                return;
            }

            var raw = Balance.NormalisedDifference(treated.Select(value).ToArray(), control.Select(value).ToArray());
            var weighted = Balance.WeightedNormalisedDifference(treated.Select(i => (value(i), data.Weight(i))).ToArray(), control.Select(i => (value(i), data.Weight(i))).ToArray());
            rows.Add(new BalanceRow(name, treated.Average(value), control.Average(value), raw, weighted, Math.Abs(raw) > Balance.Threshold || Math.Abs(weighted) > Balance.Threshold));
        }

        foreach (var (name, values) in data.NumericCovariates)
        {
            Add(name, i => values[i]);
        }

        foreach (var (name, values) in data.CategoricalCovariates)
        {
            foreach (var level in values.Where(v => v.Length > 0).Distinct().Order(StringComparer.Ordinal))
            {
                Add($"{name}={level}", i => values[i].Length == 0 ? double.NaN : values[i] == level ? 1 : 0);
            }
        }

        return new BalanceTable(rows, Balance.Threshold, Balance.Method);
    }

    private static AttritionRow AttritionOf(EvaluationDataset data, Wave wave)
    {
        AttritionArm Arm(bool arm)
        {
            var assigned = 0;
            var responded = 0;
            for (var i = 0; i < data.Count; i++)
            {
                if (data.Assigned[i] == arm)
                {
                    assigned++;
                    responded += wave.Responded[i] ? 1 : 0;
                }
            }

            return new AttritionArm(assigned, responded, assigned == 0 ? null : responded / (double)assigned);
        }

        var (treatment, control) = (Arm(true), Arm(false));
        var differential = treatment.Rate - control.Rate;
        var p = treatment.Assigned > 0 && control.Assigned > 0
            ? FisherExact.TwoSidedP(treatment.Responded, treatment.Assigned - treatment.Responded, control.Responded, control.Assigned - control.Responded)
            : (double?)null;
        return new AttritionRow(wave.Number, treatment, control, differential, p, AttritionMethod);
    }

    private static SelfReportedDeadweight? SelfReported(EvaluationDataset data, Wave wave, EvaluationDesign design)
    {
        var column = wave.Outcome(UnitColumns.SelfDeadweight);
        if (column is null)
        {
            return null;
        }

        var answers = Enumerable.Range(0, data.Count).Where(i => data.Treated[i] && wave.Responded[i] && !double.IsNaN(column.Values[i])).Select(i => column.Values[i]).ToArray();
        if (answers.Length == 0)
        {
            return new SelfReportedDeadweight(wave.Number, 0, 0, null, null, SelfReportedMethod);
        }

        var wilson = Proportions.Wilson((int)answers.Sum(), answers.Length, Z(design));
        return new SelfReportedDeadweight(wave.Number, wilson.X, wilson.N, wilson.P, new Ci(wilson.Ci.Lower, wilson.Ci.Upper), SelfReportedMethod);
    }

    private static MdeSummary? MdeOf(EvaluationDataset data, EvaluationDesign design, int? primaryWave)
    {
        var wave = data.Waves.FirstOrDefault(w => w.Number == primaryWave);
        var outcome = wave?.Outcome(design.PrimaryOutcome);
        if (wave is null || outcome is null)
        {
            return null;
        }

        var analysed = Enumerable.Range(0, data.Count).Where(i => wave.Responded[i] && !double.IsNaN(outcome.Values[i])).ToArray();
        var control = analysed.Where(i => !data.Assigned[i]).Select(i => outcome.Values[i]).ToArray();
        var nTreatment = analysed.Length - control.Length;
        var baseline = outcome.Binary && control.Length > 0 ? control.Average() : 0.5;
        return new MdeSummary(wave.Number, outcome.Name, baseline, nTreatment, control.Length, design.Alpha, design.Power,
            Power.MinimumDetectableEffect(nTreatment, control.Length, baseline, design.Alpha, design.Power), Power.Method);
    }

    private static ArmSummary BinaryArm(int x, int n, EvaluationDesign design)
    {
        if (n == 0)
        {
            return new ArmSummary(0, 0, null, null, null);
        }

        var wilson = Proportions.Wilson(x, n, Z(design));
        return new ArmSummary(x, n, wilson.P, null, new Ci(wilson.Ci.Lower, wilson.Ci.Upper));
    }

    private static ArmSummary ContinuousArm(double[] values, EvaluationDesign design)
    {
        if (values.Length < 2)
        {
            return new ArmSummary(null, values.Length, values.Length == 0 ? null : values[0], null, null);
        }

        var (mean, sd) = (values.Average(), Math.Sqrt(Differences.SampleVariance(values)));
        var half = StudentT.TwoSidedQuantile(design.Alpha, values.Length - 1) * sd / Math.Sqrt(values.Length);
        return new ArmSummary(null, values.Length, mean, sd, new Ci(mean - half, mean + half));
    }

    private static EstimateEntry Entry(Estimate? estimate, string method) =>
        estimate is null
            ? new EstimateEntry(null, null, null, new Ci(null, null), method)
            : new EstimateEntry(Finite(estimate.Value), Finite(estimate.Se), estimate.Df is { } df ? Finite(df) : null, new Ci(Finite(estimate.Ci.Lower), Finite(estimate.Ci.Upper)), method, estimate.Note);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>z for two-sided intervals at level 1 − α (1.96 for α = 0.05).</summary>
    private static double Z(EvaluationDesign design) => design.Alpha == 0.05 ? Proportions.Z95 : Normal.Quantile(1 - (design.Alpha / 2));
}

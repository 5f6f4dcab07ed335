using Grants.Evaluation.Dataset;
using Grants.Evaluation.Estimators;
using Grants.Evaluation.Planning;

namespace Grants.Evaluation.Reporting;

/// <summary>
/// Turns an evaluator dataset into the report: for every wave and outcome the intention-to-treat
/// comparison of respondents by assignment with all the corrections of design.md §5, and around it the
/// CONSORT flow, balance, attrition, self-reported deadweight and the minimum detectable effect.
/// Pure: the same dataset and design always give the same report.
/// </summary>
public static class ReportBuilder
{
    public const string ArmsBinaryMethod = Proportions.WilsonMethod;
    public const string ArmsContinuousMethod = "Mean with a t interval";
    public const string HolmInputMethod = "Holm step-down adjustment (Holm 1979) of fisherP (0/1 outcomes) or welchP (continuous) across the declared outcome family, per wave";
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

    public static EvaluationReport Build(EvaluationInput input) => Build(input.Dataset, input.Design, input.UnitsSha256);

    public static EvaluationReport Build(EvaluationDataset pool, EvaluationDesign design, string unitsSha256)
    {
        // Units whose chance was 0 or 1 (a request that always fitted the budget, or never could) were not
        // part of the experiment: they are counted, and left out of every comparison.
        var randomised = Enumerable.Range(0, pool.Count).Where(pool.IsRandomised).ToArray();
        if (randomised.Length == 0)
        {
            throw new DatasetException(["no unit had a chance strictly between 0 and 1: the lottery decided nothing, so there is no comparison to make"]);
        }

        var data = randomised.Length == pool.Count ? pool : pool.Select(randomised);
        CheckDesign(data, design);
        var primaryWave = design.PrimaryWave ?? data.Waves.FirstOrDefault()?.Number;
        var outcomes = data.Waves
            .SelectMany(w => w.Outcomes.Where(o => o.Name != UnitColumns.SelfDeadweight).Select(o => (Wave: w, Outcome: o)))
            .ToArray();
        var entries = new OutcomeEntry[outcomes.Length];
        Parallel.For(0, outcomes.Length, i => entries[i] = Outcome(data, design, outcomes[i].Wave, outcomes[i].Outcome));

        return new EvaluationReport(
            EvaluationReport.SchemaId,
            new ReportSource(pool.Count, data.RoundIds.Distinct().Order(StringComparer.Ordinal).ToArray(), data.Strata.Distinct().Order(StringComparer.Ordinal).ToArray(), data.Waves.Select(w => w.Number).ToArray(), unitsSha256),
            new DesignSummary(design.Alpha, design.Power, primaryWave, design.PrimaryOutcome, design.OutcomeFamily, design.RandomisationDraws, design.Seed),
            ConsortFlow(data, design, pool.Count - data.Count),
            BalanceOf(data),
            data.Waves.Select(w => AttritionOf(data, w)).ToArray(),
            data.Waves.Select(w => SelfReported(data, w, design)).Where(s => s is not null).Select(s => s!).ToArray(),
            MdeOf(data, design, primaryWave),
            WithHolm(entries, design),
            Limitations);
    }

    private static void CheckDesign(EvaluationDataset data, EvaluationDesign design)
    {
        design.Validate();
        var problems = new List<string>();
        var names = data.Waves.SelectMany(w => w.Outcomes.Select(o => o.Name)).ToHashSet();
        if (design.PrimaryWave is { } wave && data.Waves.All(w => w.Number != wave))
        {
            problems.Add($"design.json: primaryWave {wave} is not in units.csv (waves: {string.Join(", ", data.Waves.Select(w => w.Number))})");
        }

        if (data.Waves.Count > 0 && !names.Contains(design.PrimaryOutcome))
        {
            problems.Add($"design.json: primaryOutcome '{design.PrimaryOutcome}' is not an outcome column of units.csv");
        }

        problems.AddRange(design.OutcomeFamily.Where(o => data.Waves.Count > 0 && !names.Contains(o)).Select(o => $"design.json: outcomeFamily names '{o}', which is not an outcome column of units.csv"));
        if (problems.Count > 0)
        {
            throw new DatasetException(problems);
        }
    }

    private static OutcomeEntry Outcome(EvaluationDataset data, EvaluationDesign design, Wave wave, OutcomeColumn outcome)
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
                difference = new EstimateEntry(null, null, null, new Ci(null, null), Proportions.NewcombeMethod);
            }
        }
        else
        {
            (treatmentArm, controlArm) = (ContinuousArm(treatment, design), ContinuousArm(control, design));
            var neyman = treatment.Length > 1 && control.Length > 1 ? Differences.Neyman(treatment, control, design.Alpha) : null;
            difference = Entry(neyman, Differences.NeymanMethod);
            welchP = neyman is null ? null : Finite(StudentT.TwoSidedP(neyman.Value / neyman.Se, neyman.Df ?? double.NaN));
            methods["welchP"] = "Welch two-sample t test";
        }

        var strata = analysed.GroupBy(i => data.Strata[i]).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var blocks = strata.Select(g => (Treated: (IReadOnlyList<double>)g.Where(i => data.Assigned[i]).Select(i => outcome.Values[i]).ToArray(), Control: (IReadOnlyList<double>)g.Where(i => !data.Assigned[i]).Select(i => outcome.Values[i]).ToArray())).ToArray();
        var blocked = blocks.All(b => b.Treated.Count > 1 && b.Control.Count > 1) && blocks.Length > 0 ? Differences.Blocked(blocks, design.Alpha) : null;

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

        var byStratum = strata.Select((g, s) => StratumEffectOf(g.Key, blocks[s].Treated, blocks[s].Control, outcome.Binary, design)).ToArray();
        return new OutcomeEntry(
            wave.Number, outcome.Name, outcome.Binary ? "binary" : "continuous", design.OutcomeFamily.Contains(outcome.Name),
            controlArm, treatmentArm, difference, fisherP, welchP,
            blocked is null ? null : Entry(blocked, Differences.BlockedMethod),
            hajek is null ? null : Entry(hajek, Weighted.HajekMethod),
            cace is null ? null : Entry(cace, NonCompliance.CaceMethod),
            complierMeans is null ? null : new ComplierMeansEntry(Finite(complierMeans.Untreated), Finite(complierMeans.Treated), Finite(complierMeans.ComplierShare), complierMeans.Method),
            lee, ri is null ? null : ri.P, ri is null ? null : ri.McSe, ri?.Exact ?? false, null, byStratum, methods);
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
                adjusted[Array.IndexOf(entries, family[i])] = family[i] with { HolmP = holm[i] };
            }
        }

        return adjusted;
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
            : new EstimateEntry(Finite(estimate.Value), Finite(estimate.Se), estimate.Df is { } df ? Finite(df) : null, new Ci(Finite(estimate.Ci.Lower), Finite(estimate.Ci.Upper)), method);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>z for two-sided intervals at level 1 − α (1.96 for α = 0.05).</summary>
    private static double Z(EvaluationDesign design) => design.Alpha == 0.05 ? Proportions.Z95 : Normal.Quantile(1 - (design.Alpha / 2));
}

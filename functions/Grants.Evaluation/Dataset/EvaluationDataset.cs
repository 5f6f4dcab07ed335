namespace Grants.Evaluation.Dataset;

/// <summary>
/// The evaluator dataset (units.csv, described by contracts/evaluation-export/datapackage.json) held by
/// column: one entry per unit of the lottery pool, the intention-to-treat population. Missing numbers
/// are NaN, missing text is empty.
/// </summary>
public sealed class EvaluationDataset
{
    public required string[] UnitIds { get; init; }

    public required string[] RoundIds { get; init; }

    public required string[] Strata { get; init; }

    /// <summary>The probability of being offered the subsidy under the design.</summary>
    public required double[] PAssign { get; init; }

    /// <summary>Offered the subsidy at the initial cut-off.</summary>
    public required bool[] Assigned { get; init; }

    /// <summary>Actually received the subsidy or voucher.</summary>
    public required bool[] Treated { get; init; }

    /// <summary>Baseline covariates by column name: numeric ones (amount_requested, public) and categorical ones (sector, size_class).</summary>
    public required IReadOnlyDictionary<string, double[]> NumericCovariates { get; init; }

    public required IReadOnlyDictionary<string, string[]> CategoricalCovariates { get; init; }

    public required IReadOnlyList<Wave> Waves { get; init; }

    public int Count => UnitIds.Length;

    public double Weight(int unit) => Assigned[unit] ? 1 / PAssign[unit] : 1 / (1 - PAssign[unit]);

    /// <summary>Units the lottery could have gone either way for (0 &lt; p_assign &lt; 1): the experiment proper.</summary>
    public bool IsRandomised(int unit) => PAssign[unit] is > 0 and < 1;

    /// <summary>The same dataset restricted to the given units, in their order.</summary>
    public EvaluationDataset Select(IReadOnlyList<int> units)
    {
        T[] Pick<T>(T[] column) => [.. units.Select(i => column[i])];
        return new EvaluationDataset
        {
            UnitIds = Pick(UnitIds),
            RoundIds = Pick(RoundIds),
            Strata = Pick(Strata),
            PAssign = Pick(PAssign),
            Assigned = Pick(Assigned),
            Treated = Pick(Treated),
            NumericCovariates = NumericCovariates.ToDictionary(c => c.Key, c => Pick(c.Value)),
            CategoricalCovariates = CategoricalCovariates.ToDictionary(c => c.Key, c => Pick(c.Value)),
            Waves = Waves.Select(w => new Wave
            {
                Number = w.Number,
                Responded = Pick(w.Responded),
                Outcomes = w.Outcomes.Select(o => new OutcomeColumn { Name = o.Name, Binary = o.Binary, Values = Pick(o.Values) }).ToArray(),
            }).ToArray(),
        };
    }
}

/// <summary>One follow-up wave: who answered and the outcomes they gave.</summary>
public sealed class Wave
{
    public required int Number { get; init; }

    public required bool[] Responded { get; init; }

    /// <summary>Outcome columns w{k}_&lt;name&gt; by name, in file order.</summary>
    public required IReadOnlyList<OutcomeColumn> Outcomes { get; init; }

    public OutcomeColumn? Outcome(string name) => Outcomes.FirstOrDefault(o => o.Name == name);
}

/// <summary>An outcome of one wave; 0/1 when <see cref="Binary"/>, otherwise a number; NaN where missing.</summary>
public sealed class OutcomeColumn
{
    public required string Name { get; init; }

    public required double[] Values { get; init; }

    public required bool Binary { get; init; }
}

/// <summary>The column names and codes the evaluator dataset uses.</summary>
public static class UnitColumns
{
    public const string UnitId = "unit_id";
    public const string RoundId = "round_id";
    public const string Stratum = "stratum";
    public const string PAssign = "p_assign";
    public const string Assigned = "assigned";
    public const string Treated = "treated";
    public const string AmountRequested = "amount_requested";
    public const string Sector = "sector";
    public const string SizeClass = "size_class";
    public const string Public = "public";
    public const string Responded = "responded";
    public const string SelfDeadweight = "self_deadweight";

    public static readonly string[] Required = [UnitId, RoundId, Stratum, PAssign, Assigned, Treated];

    public static readonly string[] NumericCovariates = [AmountRequested, Public];

    public static readonly string[] CategoricalCovariates = [Sector, SizeClass];

    /// <summary>The 0/1 outcomes of the follow-up survey, in the order the questionnaire asks them.</summary>
    public static readonly string[] SurveyOutcomes = ["realised", "full", "smaller", "later", "less_external", SelfDeadweight];

    /// <summary>
    /// Codes that mean "no value", kept distinct in the export so that an evaluator can tell why a value
    /// is missing; the engine treats all of them as missing.
    /// </summary>
    public static readonly string[] MissingCodes = ["", "not_asked", "refused", "dont_know", "not_applicable", "no_response"];
}

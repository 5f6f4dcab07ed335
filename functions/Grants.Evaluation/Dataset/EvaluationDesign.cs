using System.Text.Json;
using System.Text.Json.Serialization;
using Grants.Evaluation.Estimators;

namespace Grants.Evaluation.Dataset;

/// <summary>
/// What the evaluation was declared to look at before the data came in (design.json beside units.csv):
/// the significance level, the primary wave and outcome, and the family of outcomes whose p-values are
/// adjusted together. Every field has a default, so the file is optional.
/// </summary>
public sealed record EvaluationDesign
{
    public double Alpha { get; init; } = 0.05;

    public double Power { get; init; } = 0.8;

    /// <summary>The primary wave; the first wave in the data when not declared.</summary>
    public int? PrimaryWave { get; init; }

    public string PrimaryOutcome { get; init; } = "realised";

    public IReadOnlyList<string> OutcomeFamily { get; init; } = ["realised", "full", "smaller", "later", "less_external"];

    /// <summary>Monte Carlo draws for randomisation inference when it cannot be exact.</summary>
    public int RandomisationDraws { get; init; } = 10_000;

    public int Seed { get; init; } = RandomisationInference.DefaultSeed;

    /// <summary>Strict, as every published document is read: case-sensitive names, none twice, none unknown, no nulls, numbers as numbers.</summary>
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>design.json as the export publishes it; an undeclared primary wave is left out, as its schema asks.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static EvaluationDesign Parse(string json)
    {
        EvaluationDesign? design;
        try
        {
            design = JsonSerializer.Deserialize<EvaluationDesign>(json, Options);
        }
        catch (JsonException e)
        {
            throw new DatasetException([$"design.json: {e.Message}"]);
        }

        return (design ?? new EvaluationDesign()).Validate();
    }

    public EvaluationDesign Validate()
    {
        var problems = new List<string>();
        if (Alpha is <= 0 or >= 0.5)
        {
            problems.Add($"design.json: alpha {Alpha} must lie strictly between 0 and 0.5");
        }

        if (Power is <= 0.5 or >= 1)
        {
            problems.Add($"design.json: power {Power} must lie strictly between 0.5 and 1");
        }

        if (RandomisationDraws is < 100 or > 1_000_000)
        {
            problems.Add($"design.json: randomisationDraws {RandomisationDraws} must be between 100 and 1,000,000");
        }

        if (OutcomeFamily is null || OutcomeFamily.Distinct().Count() != OutcomeFamily.Count)
        {
            problems.Add("design.json: outcomeFamily must list distinct outcome names");
        }

        return problems.Count > 0 ? throw new DatasetException(problems) : this;
    }
}

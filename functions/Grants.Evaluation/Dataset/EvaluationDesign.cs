using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Grants.Evaluation.Estimators;

namespace Grants.Evaluation.Dataset;

/// <summary>
/// The analysis plan: what the evaluation was declared to look at before the data came in (design.json
/// beside units.csv) — the significance level, the primary wave and outcome, the family of outcomes whose
/// p-values are adjusted together, the rule that picks the primary estimate, and the seed of randomisation
/// inference. Every field has a default, so the file is optional. A round fixes its plan in its
/// configuration and commits to it before the draw by publishing <see cref="Hash"/> (docs/evaluation.md).
/// </summary>
public sealed partial record EvaluationDesign
{
    /// <summary>The one estimator rule there is: the design's chances pick the primary estimate (docs/evaluation.md, "The primary estimate").</summary>
    public const string ByDesign = "by-design";

    public const double MinimumAlpha = 0.001;

    public double Alpha { get; init; } = 0.05;

    public double Power { get; init; } = 0.8;

    /// <summary>The primary wave; the first wave in the data when not declared.</summary>
    public int? PrimaryWave { get; init; }

    public string PrimaryOutcome { get; init; } = "realised";

    public IReadOnlyList<string> OutcomeFamily { get; init; } = ["realised", "full", "smaller", "later", "less_external"];

    /// <summary>Monte Carlo draws for randomisation inference when it cannot be exact.</summary>
    public int RandomisationDraws { get; init; } = 10_000;

    public int Seed { get; init; } = RandomisationInference.DefaultSeed;

    /// <summary>
    /// How the primary estimate is chosen: <see cref="ByDesign"/>, the simple difference only when every
    /// unit had the same chance, else the blocked estimate when chances are constant within strata, else Hajek.
    /// </summary>
    public string PrimaryEstimator { get; init; } = ByDesign;

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

    /// <summary>
    /// The plan's canonical form, the bytes its hash is taken over: a JSON object with every field present,
    /// keys in ordinal order, no whitespace, numbers in their shortest round-trip form — the RFC 8785 (JCS)
    /// form for every plan <see cref="Validate"/> admits (α ≥ 0.001 keeps numbers out of exponent notation;
    /// outcome names are lowercase ASCII, so no string needs escaping). The primary wave must be known.
    /// </summary>
    public string CanonicalJson()
    {
        var wave = PrimaryWave ?? throw new InvalidOperationException("A committed analysis plan names its primary wave.");
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("alpha", Alpha);
            json.WriteStartArray("outcomeFamily");
            foreach (var outcome in OutcomeFamily)
            {
                json.WriteStringValue(outcome);
            }

            json.WriteEndArray();
            json.WriteNumber("power", Power);
            json.WriteString("primaryEstimator", PrimaryEstimator);
            json.WriteString("primaryOutcome", PrimaryOutcome);
            json.WriteNumber("primaryWave", wave);
            json.WriteNumber("randomisationDraws", RandomisationDraws);
            json.WriteNumber("seed", Seed);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of <see cref="CanonicalJson"/>: what the round publishes before the draw and the protocol carries as analysisPlanHash.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(CanonicalJson())));

    /// <summary>The fields in which <paramref name="other"/> differs from this plan, each as "field: this → other".</summary>
    public IReadOnlyList<string> DifferencesTo(EvaluationDesign other)
    {
        static string Text(object? value) => value switch
        {
            null => "(not declared)",
            IEnumerable<string> list => "[" + string.Join(", ", list) + "]",
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

        var fields = new (string Name, object? Mine, object? Theirs)[]
        {
            ("alpha", Alpha, other.Alpha), ("power", Power, other.Power), ("primaryWave", PrimaryWave, other.PrimaryWave),
            ("primaryOutcome", PrimaryOutcome, other.PrimaryOutcome), ("outcomeFamily", OutcomeFamily, other.OutcomeFamily),
            ("randomisationDraws", RandomisationDraws, other.RandomisationDraws), ("seed", Seed, other.Seed), ("primaryEstimator", PrimaryEstimator, other.PrimaryEstimator),
        };
        return [.. fields.Where(f => Text(f.Mine) != Text(f.Theirs)).Select(f => $"{f.Name}: {Text(f.Mine)} → {Text(f.Theirs)}")];
    }

    public EvaluationDesign Validate()
    {
        var problems = new List<string>();
        if (Alpha is < MinimumAlpha or >= 0.5)
        {
            problems.Add(FormattableString.Invariant($"design.json: alpha {Alpha} must be at least {MinimumAlpha} and below 0.5"));
        }

        if (Power is <= 0.5 or >= 1)
        {
            problems.Add(FormattableString.Invariant($"design.json: power {Power} must lie strictly between 0.5 and 1"));
        }

        if (RandomisationDraws is < 100 or > 1_000_000)
        {
            problems.Add($"design.json: randomisationDraws {RandomisationDraws} must be between 100 and 1,000,000");
        }

        if (OutcomeFamily is null || OutcomeFamily.Distinct().Count() != OutcomeFamily.Count)
        {
            problems.Add("design.json: outcomeFamily must list distinct outcome names");
        }

        foreach (var name in (OutcomeFamily ?? []).Prepend(PrimaryOutcome).Where(n => n is null || !OutcomeName().IsMatch(n)).Distinct())
        {
            problems.Add($"design.json: outcome '{name}' must be an outcome column's name: a lowercase letter, then lowercase letters, digits or '_' (at most 41)");
        }

        if (PrimaryWave is < 1 or > 99)
        {
            problems.Add($"design.json: primaryWave {PrimaryWave} must be between 1 and 99");
        }

        if (PrimaryEstimator != ByDesign)
        {
            problems.Add($"design.json: primaryEstimator must be '{ByDesign}' (the design's chances pick the primary estimate)");
        }

        return problems.Count > 0 ? throw new DatasetException(problems) : this;
    }

    /// <summary>The outcome part of a units.csv wave column (w{k}_{name}).</summary>
    [GeneratedRegex("^[a-z][a-z0-9_]{0,40}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex OutcomeName();
}

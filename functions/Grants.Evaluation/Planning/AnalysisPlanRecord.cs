using System.Text.Json;
using System.Text.Json.Serialization;
using Grants.Evaluation.Dataset;

namespace Grants.Evaluation.Planning;

/// <summary>A change to a round's analysis plan after the draw: who made it, when and why, and the plan it put in force.</summary>
/// <param name="By">The caller who recorded it (a staff subject, never a name).</param>
/// <param name="Hash">The amended plan's <see cref="EvaluationDesign.Hash"/>.</param>
public sealed record PlanAmendment(DateTimeOffset At, string By, string Reason, string Hash, EvaluationDesign Plan);

/// <summary>
/// A round's analysis plan as committed before the draw, with every amendment recorded since
/// (analysis-plan.json in the evaluator export; schema: contracts/schemas/analysis-plan.schema.json).
/// The plan in force is the last amendment's, or the committed one when there is none.
/// </summary>
/// <param name="Hash">The committed plan's hash, as announced before the draw and carried by the lottery protocol.</param>
/// <param name="CommittedAt">When the plan was committed: when the round opened and its configuration was frozen.</param>
public sealed record AnalysisPlanRecord(int SchemaVersion, string RoundId, string Hash, DateTimeOffset CommittedAt, EvaluationDesign Plan, IReadOnlyList<PlanAmendment> Amendments)
{
    public const int CurrentSchemaVersion = 1;
    public const string FileName = "analysis-plan.json";

    /// <summary>Strict, as every published document is read: case-sensitive names, none twice, none unknown, no nulls, numbers as numbers.</summary>
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The plan in force: the last amendment's, else the committed one.</summary>
    [JsonIgnore]
    public EvaluationDesign InForce => Amendments.Count > 0 ? Amendments[^1].Plan : Plan;

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads the record strictly and checks that every hash is the hash of the plan beside it.</summary>
    public static AnalysisPlanRecord Parse(string json)
    {
        AnalysisPlanRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<AnalysisPlanRecord>(json, Options);
        }
        catch (JsonException e)
        {
            throw new DatasetException([$"{FileName}: {e.Message}"]);
        }

        if (record is null)
        {
            throw new DatasetException([$"{FileName}: the document is null"]);
        }

        var problems = new List<string>();
        if (record.SchemaVersion != CurrentSchemaVersion)
        {
            problems.Add($"{FileName}: schemaVersion {record.SchemaVersion} is not {CurrentSchemaVersion}");
        }

        void CheckPlan(string where, EvaluationDesign plan, string hash)
        {
            try
            {
                plan.Validate();
                if (plan.PrimaryWave is null)
                {
                    problems.Add($"{FileName}: {where} does not name its primary wave");
                }
                else if (plan.Hash() != hash)
                {
                    problems.Add($"{FileName}: {where} has hash {plan.Hash()}, not the {hash} recorded beside it");
                }
            }
            catch (DatasetException e)
            {
                problems.AddRange(e.Problems.Select(p => $"{FileName}: {where}: {p}"));
            }
        }

        CheckPlan("the committed plan", record.Plan, record.Hash);
        for (var i = 0; i < record.Amendments.Count; i++)
        {
            CheckPlan($"amendment {i + 1}", record.Amendments[i].Plan, record.Amendments[i].Hash);
        }

        return problems.Count > 0 ? throw new DatasetException(problems) : record;
    }
}

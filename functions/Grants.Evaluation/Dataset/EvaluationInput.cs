using System.Security.Cryptography;
using System.Text;
using Grants.Evaluation.Planning;
using Grants.Evaluation.Reporting;

namespace Grants.Evaluation.Dataset;

/// <summary>
/// An export directory read from disk: units.csv, the optional design.json (the plan to use) and
/// analysis-plan.json (the plan committed before the draw, with its amendments), and the SHA-256 of
/// units.csv so the report names its input.
/// </summary>
/// <param name="Allocation">How the round allocated, when by a method other than the lottery (read from its protocol by the caller); null for a lottery.</param>
/// <param name="Commitment">The committed plan to check <paramref name="Design"/> against; null when none was given.</param>
/// <param name="DesignDeclared">False when no design.json was given and <paramref name="Design"/> holds the defaults.</param>
public sealed record EvaluationInput(EvaluationDataset Dataset, EvaluationDesign Design, string UnitsSha256, PlanCommitment? Commitment = null, bool DesignDeclared = true, AllocationNote? Allocation = null)
{
    public const string UnitsFile = "units.csv";
    public const string DesignFile = "design.json";

    /// <param name="protocolPlanHash">The analysisPlanHash of the round's lottery protocol, read by the caller (which reads protocols); null when there is none.</param>
    public static EvaluationInput Load(string directory, string? protocolPlanHash = null)
    {
        var unitsPath = Path.Combine(directory, UnitsFile);
        if (!File.Exists(unitsPath))
        {
            throw new DatasetException([$"{UnitsFile} not found in {directory}"]);
        }

        var bytes = File.ReadAllBytes(unitsPath);
        var designPath = Path.Combine(directory, DesignFile);
        var declared = File.Exists(designPath);
        var design = declared ? EvaluationDesign.Parse(File.ReadAllText(designPath)) : new EvaluationDesign();
        var recordPath = Path.Combine(directory, AnalysisPlanRecord.FileName);
        var record = File.Exists(recordPath) ? AnalysisPlanRecord.Parse(File.ReadAllText(recordPath)) : null;
        return FromBytes(bytes, design) with { Commitment = PlanCommitment.Of(protocolPlanHash, record), DesignDeclared = declared };
    }

    public static EvaluationInput FromBytes(byte[] unitsCsv, EvaluationDesign design)
    {
        using var reader = new StreamReader(new MemoryStream(unitsCsv), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return new EvaluationInput(UnitsCsvReader.Read(reader), design, Convert.ToHexStringLower(SHA256.HashData(unitsCsv)));
    }
}

/// <summary>
/// A round allocated by a method other than the lottery (docs/allocation.md): the method, and where each stratum's line fell
/// as its protocol states it. Only the group drawn at the line was randomised; the report says so.
/// </summary>
public sealed record AllocationNote(string Method, IReadOnlyList<string> Lines);

using System.Security.Cryptography;
using System.Text;

namespace Grants.Evaluation.Dataset;

/// <summary>An export directory read from disk: units.csv, the optional design.json, and the SHA-256 of units.csv so the report names its input.</summary>
public sealed record EvaluationInput(EvaluationDataset Dataset, EvaluationDesign Design, string UnitsSha256)
{
    public const string UnitsFile = "units.csv";
    public const string DesignFile = "design.json";

    public static EvaluationInput Load(string directory)
    {
        var unitsPath = Path.Combine(directory, UnitsFile);
        if (!File.Exists(unitsPath))
        {
            throw new DatasetException([$"{UnitsFile} not found in {directory}"]);
        }

        var bytes = File.ReadAllBytes(unitsPath);
        var designPath = Path.Combine(directory, DesignFile);
        var design = File.Exists(designPath) ? EvaluationDesign.Parse(File.ReadAllText(designPath)) : new EvaluationDesign();
        return FromBytes(bytes, design);
    }

    public static EvaluationInput FromBytes(byte[] unitsCsv, EvaluationDesign design)
    {
        using var reader = new StreamReader(new MemoryStream(unitsCsv), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return new EvaluationInput(UnitsCsvReader.Read(reader), design, Convert.ToHexStringLower(SHA256.HashData(unitsCsv)));
    }
}

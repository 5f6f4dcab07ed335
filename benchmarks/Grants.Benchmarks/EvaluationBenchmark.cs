using System.Globalization;
using System.Text;
using Grants.Evaluation.Csv;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Reporting;

namespace Grants.Benchmarks;

/// <summary>
/// The effect evaluation of a 100,000-unit, 2-wave export (four strata drawn with different chances,
/// declines, crossovers, attrition, five 0/1 outcomes per wave and one continuous outcome in wave 2)
/// against its floor, tokenising the same units.csv bytes, measured in the same run.
/// </summary>
public static class EvaluationBenchmark
{
    public static int Run()
    {
        var csv = Generate(100_000, new Random(2008));
        var design = new EvaluationDesign();
        Evaluate(Generate(2_000, new Random(1)), design); // warm-up
        for (var i = 0; i < 5; i++)
        {
            Tokenise(csv); // the JIT tiers Sep's reader up only after a few passes over a large file: measure it warm, as the rest
        }

        var floor = Timing.MedianSeconds(5, () => Tokenise(csv));
        var read = Timing.MedianSeconds(3, () => EvaluationInput.FromBytes(csv, design));
        var input = EvaluationInput.FromBytes(csv, design);
        var build = Timing.MedianSeconds(3, () => ReportBuilder.Build(input));
        var report = ReportBuilder.Build(input);
        var render = Timing.MedianSeconds(3, () => _ = ReportJson.Serialize(report).Length + HtmlReport.Render(report).Length);
        var total = Timing.MedianSeconds(3, () => Evaluate(csv, design));

        Console.WriteLine($"units.csv: {csv.Length / 1024.0 / 1024.0:F1} MiB, {input.Dataset.Count:N0} units, {report.Outcomes.Count} outcome estimates, randomisation inference exact for {report.Outcomes.Count(o => o.RiExact)}");
        Console.WriteLine("| measure | seconds (median) | ratio to floor |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| floor: tokenise units.csv (CSV records only) | {floor:F3} | 1.00 |");
        Console.WriteLine($"| read and validate units.csv | {read:F3} | {read / floor:F2} |");
        Console.WriteLine($"| build the report (all estimators, {Environment.ProcessorCount} cores) | {build:F3} | {build / floor:F2} |");
        Console.WriteLine($"| write report.json and the HTML page | {render:F3} | {render / floor:F2} |");
        Console.WriteLine($"| end to end (grants evaluate without disk) | {total:F3} | {total / floor:F2} |");
        return 0;
    }

    private static void Evaluate(byte[] csv, EvaluationDesign design)
    {
        var report = ReportBuilder.Build(EvaluationInput.FromBytes(csv, design));
        _ = ReportJson.Serialize(report).Length + HtmlReport.Render(report).Length;
    }

    private static int Tokenise(byte[] csv)
    {
        using var reader = new StreamReader(new MemoryStream(csv), Encoding.UTF8);
        return CsvTable.Read(reader).Count();
    }

    /// <summary>A synthetic export shaped like a large voucher round.</summary>
    public static byte[] Generate(int units, Random random)
    {
        string[] sectors = ["industry", "care", "education", "services", "public_admin"];
        string[] sizes = ["small", "medium", "large"];
        (string Name, double P, double Baseline)[] strata = [("north", 0.5, 0.30), ("east", 0.4, 0.35), ("south", 0.3, 0.45), ("west", 0.2, 0.40)];
        string[] outcomes = ["realised", "full", "smaller", "later", "less_external", "self_deadweight"];
        var text = new StringBuilder("unit_id,round_id,stratum,p_assign,assigned,treated,amount_requested,sector,size_class,public");
        for (var w = 1; w <= 2; w++)
        {
            text.Append(CultureInfo.InvariantCulture, $",w{w}_responded").Append(string.Concat(outcomes.Select(o => $",w{w}_{o}")));
        }

        text.Append(",w2_spend\n");
        for (var i = 0; i < units; i++)
        {
            var (name, p, baseline) = strata[i % strata.Length];
            var assigned = random.NextDouble() < p;
            var treated = assigned ? random.NextDouble() < 0.85 : random.NextDouble() < 0.05;
            var sector = sectors[random.Next(sectors.Length)];
            text.Append(CultureInfo.InvariantCulture, $"U-{i:D6},R-2009-1,{name},{p},{(assigned ? 1 : 0)},{(treated ? 1 : 0)},{random.Next(20, 121) * 1000},{sector},{sizes[random.Next(3)]},{(sector is "education" or "public_admin" ? 1 : 0)}");
            for (var w = 1; w <= 2; w++)
            {
                var responded = random.NextDouble() < (assigned ? 0.88 : 0.72) - (0.1 * (w - 1));
                text.Append(responded ? ",1" : ",0");
                var realised = random.NextDouble() < baseline + (treated ? 0.3 : 0);
                foreach (var outcome in outcomes)
                {
                    text.Append(!responded ? "," : outcome switch
                    {
                        "realised" => realised ? ",1" : ",0",
                        "self_deadweight" => treated ? (random.NextDouble() < 0.3 ? ",1" : ",0") : ",not_asked",
                        _ => realised && random.NextDouble() < 0.4 ? ",1" : ",0",
                    });
                }

                if (w == 2)
                {
                    text.Append(responded ? string.Create(CultureInfo.InvariantCulture, $",{(realised ? 40 + (treated ? 25 : 0) + (15 * random.NextDouble()) : 0):0.0}") : ",");
                }
            }

            text.Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

}

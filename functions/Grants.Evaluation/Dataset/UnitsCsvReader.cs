using System.Globalization;
using System.Text.RegularExpressions;
using Grants.Evaluation.Csv;

namespace Grants.Evaluation.Dataset;

/// <summary>
/// Parses units.csv into an <see cref="EvaluationDataset"/>, refusing anything that would make the
/// numbers wrong: unknown or duplicate columns, duplicate units, probabilities outside (0, 1), values
/// that are not 0/1 where 0/1 is required, outcomes for units that did not respond. Every problem is
/// reported with its line and column (up to a limit), so an evaluator can fix the file in one go.
/// </summary>
public static partial class UnitsCsvReader
{
    private const int MaxProblems = 25;

    public static EvaluationDataset Read(TextReader reader)
    {
        try
        {
            return Read(CsvTable.Read(reader));
        }
        catch (CsvFormatException malformed)
        {
            throw new DatasetException([malformed.Message]);
        }
    }

    private static EvaluationDataset Read(IEnumerable<(int Line, string[] Fields)> csv)
    {
        using var records = csv.GetEnumerator();
        if (!records.MoveNext())
        {
            throw new DatasetException(["units.csv is empty: expected a header line"]);
        }

        var header = records.Current.Fields;
        var problems = new List<string>();
        var columns = ReadHeader(header, problems);
        if (problems.Count > 0)
        {
            throw new DatasetException(problems);
        }

        var builder = new Builder(columns);
        while (records.MoveNext() && problems.Count < MaxProblems)
        {
            var (line, fields) = records.Current;
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (fields.Length != header.Length)
            {
                problems.Add($"line {line}: {fields.Length} fields where the header has {header.Length}");
                continue;
            }

            builder.Add(line, fields, problems);
        }

        if (builder.Count == 0 && problems.Count == 0)
        {
            problems.Add("units.csv has no units");
        }

        if (problems.Count > 0)
        {
            throw new DatasetException(problems.Count >= MaxProblems ? [.. problems, $"stopped after {MaxProblems} problems"] : problems);
        }

        return builder.Build();
    }

    private static Columns ReadHeader(string[] header, List<string> problems)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim();
            if (!index.TryAdd(name, i))
            {
                problems.Add($"header: column '{name}' appears twice");
            }
        }

        foreach (var required in UnitColumns.Required.Where(r => !index.ContainsKey(r)))
        {
            problems.Add($"header: required column '{required}' is missing");
        }

        var known = UnitColumns.Required.Concat(UnitColumns.NumericCovariates).Concat(UnitColumns.CategoricalCovariates).ToHashSet();
        var waves = new SortedDictionary<int, (int Responded, List<(string Name, int Index)> Outcomes)>();
        foreach (var (name, i) in index)
        {
            if (known.Contains(name))
            {
                continue;
            }

            var match = WaveColumn().Match(name);
            if (!match.Success)
            {
                problems.Add($"header: unknown column '{name}' (expected the columns of the data package or w{{k}}_<outcome>)");
                continue;
            }

            var wave = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var entry = waves.TryGetValue(wave, out var existing) ? existing : (-1, new List<(string, int)>());
            if (match.Groups[2].Value == UnitColumns.Responded)
            {
                entry.Item1 = i;
            }
            else
            {
                entry.Item2.Add((match.Groups[2].Value, i));
            }

            waves[wave] = entry;
        }

        foreach (var (wave, entry) in waves.Where(w => w.Value.Responded < 0))
        {
            problems.Add($"header: wave {wave} has outcome columns but no w{wave}_responded");
        }

        return new Columns(index, waves.ToDictionary(w => w.Key, w => (w.Value.Responded, (IReadOnlyList<(string, int)>)w.Value.Outcomes.OrderBy(o => o.Index).ToArray())));
    }

    [GeneratedRegex("^w([1-9][0-9]?)_([a-z][a-z0-9_]{0,40})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex WaveColumn();

    private sealed record Columns(Dictionary<string, int> Index, Dictionary<int, (int Responded, IReadOnlyList<(string Name, int Index)> Outcomes)> Waves);

    private sealed class Builder(Columns columns)
    {
        private readonly List<string> unitIds = [], roundIds = [], strata = [];
        private readonly List<double> pAssign = [];
        private readonly List<bool> assigned = [], treated = [];
        private readonly Dictionary<string, List<double>> numeric = UnitColumns.NumericCovariates.Where(columns.Index.ContainsKey).ToDictionary(c => c, _ => new List<double>());
        private readonly Dictionary<string, List<string>> categorical = UnitColumns.CategoricalCovariates.Where(columns.Index.ContainsKey).ToDictionary(c => c, _ => new List<string>());
        private readonly Dictionary<int, List<bool>> responded = columns.Waves.ToDictionary(w => w.Key, _ => new List<bool>());
        private readonly Dictionary<(int Wave, string Name), List<double>> outcomes = columns.Waves.SelectMany(w => w.Value.Outcomes.Select(o => (w.Key, o.Name))).ToDictionary(k => k, _ => new List<double>());
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);

        public int Count => unitIds.Count;

        public void Add(int line, string[] fields, List<string> problems)
        {
            string Field(string name) => fields[columns.Index[name]].Trim();
            void Problem(string column, string message) => problems.Add($"line {line}, column {column}: {message}");

            var id = Field(UnitColumns.UnitId);
            if (id.Length == 0)
            {
                Problem(UnitColumns.UnitId, "is empty");
            }
            else if (!seen.Add(id))
            {
                Problem(UnitColumns.UnitId, $"unit '{id}' appears twice");
            }

            unitIds.Add(id);
            roundIds.Add(Field(UnitColumns.RoundId));
            var stratum = Field(UnitColumns.Stratum);
            strata.Add(stratum.Length == 0 ? "all" : stratum);
            var p = Number(Field(UnitColumns.PAssign));
            if (!(p >= 0 && p <= 1))
            {
                Problem(UnitColumns.PAssign, $"'{Field(UnitColumns.PAssign)}' is not a probability from 0 to 1");
            }

            pAssign.Add(p);
            var isAssigned = Flag(UnitColumns.Assigned) == 1;
            if ((isAssigned && p == 0) || (!isAssigned && p == 1))
            {
                Problem(UnitColumns.Assigned, $"contradicts p_assign {Field(UnitColumns.PAssign)}");
            }

            assigned.Add(isAssigned);
            treated.Add(Flag(UnitColumns.Treated) == 1);
            foreach (var (name, values) in numeric)
            {
                var raw = Field(name);
                var value = IsMissing(raw) ? double.NaN : Number(raw);
                if (!IsMissing(raw) && double.IsNaN(value))
                {
                    Problem(name, $"'{raw}' is not a number");
                }
                else if (name == UnitColumns.Public && !double.IsNaN(value) && value is not (0 or 1))
                {
                    Problem(name, $"'{raw}' is not 0 or 1");
                }

                values.Add(value);
            }

            foreach (var (name, values) in categorical)
            {
                var raw = Field(name);
                values.Add(IsMissing(raw) ? string.Empty : raw);
            }

            foreach (var (wave, (respondedIndex, outcomeColumns)) in columns.Waves)
            {
                var answered = FlagAt(respondedIndex, $"w{wave}_responded") == 1;
                responded[wave].Add(answered);
                foreach (var (name, index) in outcomeColumns)
                {
                    var raw = fields[index].Trim();
                    var value = IsMissing(raw) ? double.NaN : Number(raw);
                    if (!IsMissing(raw) && double.IsNaN(value))
                    {
                        Problem($"w{wave}_{name}", $"'{raw}' is neither a number nor a missing-value code ({string.Join(", ", UnitColumns.MissingCodes.Skip(1))} or empty)");
                    }
                    else if (!double.IsNaN(value) && !answered)
                    {
                        Problem($"w{wave}_{name}", "has a value but the unit did not respond in this wave");
                    }
                    else if (!double.IsNaN(value) && UnitColumns.SurveyOutcomes.Contains(name) && value is not (0 or 1))
                    {
                        Problem($"w{wave}_{name}", $"'{raw}' is not 0 or 1");
                    }

                    outcomes[(wave, name)].Add(value);
                }
            }

            int Flag(string name) => FlagAt(columns.Index[name], name);

            int FlagAt(int index, string name)
            {
                var raw = fields[index].Trim();
                if (raw is "0" or "1")
                {
                    return raw[0] - '0';
                }

                Problem(name, $"'{raw}' is not 0 or 1");
                return 0;
            }
        }

        public EvaluationDataset Build() => new()
        {
            UnitIds = [.. unitIds],
            RoundIds = [.. roundIds],
            Strata = [.. strata],
            PAssign = [.. pAssign],
            Assigned = [.. assigned],
            Treated = [.. treated],
            NumericCovariates = numeric.ToDictionary(n => n.Key, n => n.Value.ToArray()),
            CategoricalCovariates = categorical.ToDictionary(c => c.Key, c => c.Value.ToArray()),
            Waves = columns.Waves.Select(w => new Wave
            {
                Number = w.Key,
                Responded = [.. responded[w.Key]],
                Outcomes = w.Value.Outcomes.Select(o =>
                {
                    var values = outcomes[(w.Key, o.Name)].ToArray();
                    return new OutcomeColumn { Name = o.Name, Values = values, Binary = UnitColumns.SurveyOutcomes.Contains(o.Name) || values.All(v => double.IsNaN(v) || v is 0 or 1) };
                }).ToArray(),
            }).ToArray(),
        };

        private static bool IsMissing(string raw) => Array.IndexOf(UnitColumns.MissingCodes, raw) >= 0;

        private static double Number(string raw) =>
            double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : double.NaN;
    }
}

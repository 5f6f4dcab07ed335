using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.FollowUp;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Export;
using Grants.Evaluation.Planning;
using Grants.Evaluation.Reporting;
using Grants.Functions.Applications;
using Grants.Functions.FollowUp;
using Grants.Functions.Lottery;
using Grants.Functions.Rounds;

namespace Grants.Functions.Evaluation;

/// <summary>A round's evaluator export, built from the frozen pool, the lottery protocol, the applications and the follow-up surveys.</summary>
/// <param name="Design">design.json: the analysis plan in force.</param>
/// <param name="AnalysisPlan">analysis-plan.json: the plan as committed before the draw, with every amendment since.</param>
public sealed record RoundExport(byte[] UnitsCsv, byte[] RespondentsCsv, string DataPackage, string Design, string AnalysisPlan, string Consort, string Protocol, EvaluationReport Report);

/// <summary>
/// Turns a round into the evaluator dataset of contracts/evaluation-export, analysed under the round's analysis
/// plan in force (design.json; its history in analysis-plan.json): one row per pool unit under
/// its keyed pseudonym (<see cref="Pseudonyms"/>: never a name, KvK number, address or pool id), assignment at the initial cut-off, receipt from
/// the application, and the management respondent's answers per wave. Units whose consent was withdrawn
/// keep their place in the lottery population but carry no answers.
/// </summary>
public sealed class EvaluationExport(RoundStore rounds, PoolStore pools, ProtocolStore protocols, ApplicationStore applications, SurveyStore surveys,
    Microsoft.Extensions.Options.IOptions<EvaluationOptions> options)
{
    /// <summary>Counts below this are suppressed in aggregate tables (consort.json).</summary>
    public const int SmallCell = 5;

    private static readonly string[] ProjectOutcomes = ["full", "smaller", "later", "less_external"];

    /// <returns>Null when the round has no published draw yet.</returns>
    public async Task<RoundExport?> BuildAsync(string roundId, CancellationToken cancellationToken)
    {
        var round = (await rounds.FindAsync(roundId, cancellationToken))?.State;
        if (round?.LotteryState.Draw is not { PublishedAt: not null } draw)
        {
            return null;
        }

        var pool = await pools.ReadAsync(round, cancellationToken);
        var protocol = await protocols.ReadAsync(roundId, draw.ProtocolHash, cancellationToken);
        var initiallySelected = protocol.InitiallySelected().ToHashSet();
        var probabilities = protocol.Probabilities.ToDictionary(p => p.Id, p => p.P);
        var applicationsById = (await applications.OfRoundAsync(roundId, cancellationToken)).ToDictionary(a => a.Id, a => a.State);
        var surveysByUnit = (await surveys.OfRoundAsync(roundId, cancellationToken)).Select(s => s.State).ToLookup(s => s.UnitId);
        var waves = round.Configuration.FollowUpWaveMonths.Count;

        var header = new List<string> { "unit_id", "round_id", "stratum", "p_assign", "assigned", "treated", "amount_requested", "sector", "size_class", "public" };
        var extra = new List<(string Name, string Description)>();
        for (var k = 1; k <= waves; k++)
        {
            header.Add($"w{k}_responded");
            header.AddRange(new[] { "realised", "full", "smaller", "later", "less_external", "self_deadweight" }.Select(o => $"w{k}_{o}"));
            foreach (var (name, description) in ExtraOutcomes(k))
            {
                header.Add(name);
                extra.Add((name, description));
            }
        }

        var rows = new List<IReadOnlyList<string>>();
        var respondentRows = new List<IReadOnlyList<string>>();
        var answerKeys = SurveyCatalogue.Items.SelectMany(SurveyCatalogue.Keys).ToArray();
        var key = options.Value.Key();
        foreach (var (entry, unitId) in pool.Entries.Select(e => (e, Pseudonyms.UnitId(key, roundId, e.Id))).OrderBy(u => u.Item2, StringComparer.Ordinal))
        {
            var application = applicationsById[entry.ApplicationId];
            var row = new List<string>
            {
                unitId, roundId, entry.Stratum, ExportPackage.Number(Probability(probabilities[entry.Id], initiallySelected.Contains(entry.Id), protocol.Simulations)), initiallySelected.Contains(entry.Id) ? "1" : "0",
                Received(application) ? "1" : "0", ExportPackage.Number(entry.Amount / 100.0), entry.Sector, entry.SizeClass, entry.IsPublic ? "1" : "0",
            };
            for (var k = 1; k <= waves; k++)
            {
                // Withdrawn consent counts even if erasing the surveys was interrupted.
                var survey = surveysByUnit[entry.Id].FirstOrDefault(s => s.Wave == k);
                if (survey is not null && application.ConsentWithdrawnAt is not null)
                {
                    survey = survey with { Status = SurveyStatus.Withdrawn };
                }
                row.AddRange(WaveCells(survey));
                // Only submitted questionnaires: a saved draft is not an answer yet.
                foreach (var respondent in survey is { Status: not SurveyStatus.Withdrawn } ? survey.Respondents.Where(r => r.SubmittedAt is not null) : [])
                {
                    respondentRows.Add([unitId, k.ToString(System.Globalization.CultureInfo.InvariantCulture), respondent.Id, respondent.Role, respondent.SubmittedAt is null ? "0" : "1",
                        .. answerKeys.Select(key => respondent.Answers.TryGetValue(key, out var value) ? value : string.Empty)]);
                }
            }

            rows.Add(row);
        }

        var units = ExportPackage.Csv(header, rows);
        // A round with a published draw has opened, and so has committed its plan.
        var plan = round.AnalysisPlan ?? throw new InvalidOperationException($"Round {roundId} has a draw but no analysis plan.");
        var design = plan.InForce;
        var report = ReportBuilder.Build(EvaluationInput.FromBytes(units, design) with { Commitment = PlanCommitment.Of(protocol.AnalysisPlanHash, plan), Allocation = protocol.AllocationNote() });
        string[] respondentHeader = ["unit_id", "wave", "respondent", "role", "submitted", .. answerKeys];
        return new RoundExport(units, ExportPackage.Csv(respondentHeader, respondentRows), ExportPackage.DataPackage(header, extra.ToDictionary(e => e.Name, e => e.Description), respondentHeader),
            ExportPackage.Design(design), plan.ToJson(), Consort(report), protocol.ToJson(), report);
    }

    public static byte[] Zip(RoundExport export)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] content)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(content);
            }

            Add(ExportPackage.UnitsFile, export.UnitsCsv);
            Add(ExportPackage.RespondentsFile, export.RespondentsCsv);
            Add(ExportPackage.PackageFile, Encoding.UTF8.GetBytes(export.DataPackage));
            Add(ExportPackage.DesignFile, Encoding.UTF8.GetBytes(export.Design));
            Add(AnalysisPlanRecord.FileName, Encoding.UTF8.GetBytes(export.AnalysisPlan));
            Add(ExportPackage.ConsortFile, Encoding.UTF8.GetBytes(export.Consort));
            Add(ExportPackage.ProtocolFile, Encoding.UTF8.GetBytes(export.Protocol));
            Add(ExportPackage.ReplicationFile, Encoding.UTF8.GetBytes(ExportPackage.ReplicationScript.ReplaceLineEndings("\n")));
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A Monte Carlo estimate of 0 (or 1) for a unit the actual draw did (not) select is an estimate,
    /// not a certainty: count the actual draw as one more simulation, p = 1/(K+1) or K/(K+1).
    /// </summary>
    private static double Probability(double estimated, bool assigned, int simulations) =>
        (assigned, estimated) switch
        {
            (true, 0) => 1.0 / (simulations + 1),
            (false, 1) => simulations / (simulations + 1.0),
            _ => estimated,
        };

    /// <summary>Received the subsidy: holds an award that stands. Declines and lapses are non-compliance.</summary>
    private static bool Received(ApplicationData application) => Application.HoldsAward(application);

    /// <summary>The extra numeric outcome columns of a wave (<see cref="SurveyCatalogue.ExtraOutcomes"/>), with their descriptions.</summary>
    private static IEnumerable<(string Name, string Description)> ExtraOutcomes(int wave) =>
        SurveyCatalogue.ExtraOutcomes.Select(name => ($"w{wave}_{name}", $"Wave {wave}: " + name switch
        {
            "money_spent" => "Money spent on the project so far, euro (all sources).",
            "other_funding" => "1 when the project (also) received funding from another scheme.",
            _ => $"Change in {name.Replace('_', ' ')} since the application, 1 (much worse) to 5 (much better).",
        }));

    /// <summary>The cells of one wave: responded, the six survey outcomes, then the extra numeric outcomes.</summary>
    private static IEnumerable<string> WaveCells(SurveyData? survey)
    {
        var extraCount = SurveyCatalogue.ExtraOutcomes.Count;
        if (survey is null || survey.Status == SurveyStatus.Withdrawn || survey.Primary is not { SubmittedAt: not null } primary)
        {
            var code = survey?.Status == SurveyStatus.Withdrawn ? SurveyCatalogue.Refused : "no_response";
            return ["0", .. Enumerable.Repeat(code, 6 + extraCount)];
        }

        var a = primary.Answers;
        string Get(string key) => a.TryGetValue(key, out var value) ? value : string.Empty;
        var answeredProject = SurveyCatalogue.ProjectOptions.Any(o => a.ContainsKey($"project.{o.Code}"));
        var realised = !answeredProject ? string.Empty : ProjectOutcomes.Any(o => Get($"project.{(o == "full" ? "as_planned" : o)}") == "1") ? "1" : "0";
        var project = ProjectOutcomes.Select(o => answeredProject ? Get($"project.{(o == "full" ? "as_planned" : o)}") : string.Empty);
        var selfDeadweight = survey.Recipient ? Get("counterfactual.as_planned") : SurveyCatalogue.NotAsked;
        return ["1", realised, .. project, selfDeadweight, Get("money_spent"), .. SurveyCatalogue.OutcomeMeasures.Select(Get), Get("other_funding")];
    }

    /// <summary>
    /// The CONSORT counts with small cells (1 to 4) suppressed, for publishing the flow as an aggregate
    /// table. The export's own units.csv holds the row-level (pseudonymous) data for the authorised
    /// evaluator; the suppression is about what leaves the evaluation team, not about that file.
    /// </summary>
    private static string Consort(EvaluationReport report)
    {
        var node = JsonSerializer.SerializeToNode(report.Consort, ReportJson.Options)!;
        Suppress(node);
        return node.ToJsonString(ReportJson.Options);

        static void Suppress(System.Text.Json.Nodes.JsonNode node)
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        if (key != "wave" && value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<int>(out var count) && count is > 0 and < SmallCell)
                        {
                            o[key] = $"<{SmallCell}";
                        }
                        else if (value is not null)
                        {
                            Suppress(value);
                        }
                    }

                    break;
                case System.Text.Json.Nodes.JsonArray array:
                    foreach (var item in array.OfType<System.Text.Json.Nodes.JsonNode>())
                    {
                        Suppress(item);
                    }

                    break;
            }
        }
    }
}

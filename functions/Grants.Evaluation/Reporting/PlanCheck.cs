using System.Globalization;
using Grants.Evaluation.Dataset;
using Grants.Evaluation.Planning;

namespace Grants.Evaluation.Reporting;

/// <summary>
/// The plan committed before the draw, as an evaluation receives it: the hash the lottery protocol carries
/// (analysisPlanHash) and, when the export holds it, the record with the committed plan and its amendments.
/// </summary>
/// <param name="Hash">The committed plan's hash: the protocol's analysisPlanHash, or the record's when there is no protocol.</param>
public sealed record PlanCommitment(string Hash, AnalysisPlanRecord? Record)
{
    public static PlanCommitment? Of(string? protocolHash, AnalysisPlanRecord? record) =>
        protocolHash is not null ? new PlanCommitment(protocolHash, record)
        : record is not null ? new PlanCommitment(record.Hash, record)
        : null;
}

/// <summary>Compares the plan an evaluation used with the plan committed before the draw, and says so in one sentence.</summary>
public static class PlanCheck
{
    /// <param name="used">The plan used, its primary wave resolved.</param>
    public static AnalysisPlanCheck Of(EvaluationDesign used, PlanCommitment commitment)
    {
        var record = commitment.Record;
        if (record is not null && record.Hash != commitment.Hash)
        {
            throw new DatasetException([$"{AnalysisPlanRecord.FileName} records the committed plan {record.Hash}, but the lottery protocol carries {commitment.Hash}: it is not the plan committed before the draw"]);
        }

        var hash = used.Hash();
        var matches = hash == commitment.Hash;
        var amendments = record?.Amendments.Select(a => new PlanAmendmentSummary(a.At, a.By, a.Reason, a.Hash)).ToArray() ?? [];
        var amendedOn = matches ? null : amendments.LastOrDefault(a => a.Hash == hash);
        var departures = matches || record is null ? [] : record.Plan.DifferencesTo(used);
        var committed = record is null ? $"the analysis plan committed before the draw (hash {commitment.Hash})" : $"the analysis plan committed before the draw on {Date(record.CommittedAt)}";
        var changed = departures.Count == 0 ? string.Empty : $" Changed: {string.Join("; ", departures)}.";
        var statement = matches
            ? $"This evaluation follows {committed}." + (amendments.Length == 0 ? string.Empty : $" The plan was amended {Times(amendments.Length)} since; those amendments are not used here.")
            : amendedOn is not null
                ? $"This evaluation departs from {committed}: it uses the plan as amended on {Date(amendedOn.At)} by {amendedOn.By}, because: {amendedOn.Reason}.{changed}"
                : $"This evaluation departs from {committed}: it uses a plan that was neither committed nor recorded as an amendment.{(record is null ? " The committed plan itself was not given, only its hash, so the changes cannot be listed." : changed)}";
        return new AnalysisPlanCheck(hash, commitment.Hash, record?.CommittedAt, matches, departures, amendedOn, amendments, statement);
    }

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Times(int count) => count == 1 ? "once" : $"{count} times";
}

using Grants.Contracts.Monitoring;
using Grants.Evaluation.Csv;
using Grants.Functions.Monitoring;

namespace Grants.Functions.Tests.Monitoring;

/// <summary>The monitoring figures as CSV: written by the same RFC 4180 writer as the evaluator export.</summary>
public sealed class MonitoringCsvTests
{
    private static readonly FunnelResponse Funnel = new(Applications: 3, Eligible: 2, InPool: 2, Selected: 1, Awarded: 1, Accepted: 1, Declined: 0, Rejected: 0, Withdrawn: 1);

    private static MonitoringResponse Report(params string[] keys) =>
        new("round", "R-2026-1", ["R-2026-1"], Funnel, new VoucherFiguresResponse(0, 0, 0, 0, 0, 0, 0), new BudgetFiguresResponse(100_00, 0, 0, 0, 0, 100_00, 0, true),
            [.. keys.Select(k => new BreakdownRowResponse("theme", k, Funnel))]);

    [Fact]
    public void OrdinaryFiguresAreOneUnquotedLineEach()
    {
        var csv = MonitoringResponses.Csv(Report("energy"));
        Assert.StartsWith("scope,id,dimension,key,metric,value\nround,R-2026-1,all,all,applications,3\n", csv, StringComparison.Ordinal);
        Assert.Contains("\nround,R-2026-1,all,all,ceiling_cents,10000\n", csv, StringComparison.Ordinal);
        Assert.EndsWith("\nround,R-2026-1,theme,energy,withdrawn,1\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyWithACarriageReturnACommaAQuoteOrALineFeedIsQuoted()
    {
        // The hand-written writer quoted a key with a comma, quote or LF, but not one with a lone CR.
        string[] keys = ["care\rhome", "food, drink", "the \"green\" deal", "two\nlines"];
        var csv = MonitoringResponses.Csv(Report(keys));

        Assert.Contains("round,R-2026-1,theme,\"care\rhome\",applications,3\n", csv, StringComparison.Ordinal);
        Assert.Contains("round,R-2026-1,theme,\"food, drink\",applications,3\n", csv, StringComparison.Ordinal);
        Assert.Contains("round,R-2026-1,theme,\"the \"\"green\"\" deal\",applications,3\n", csv, StringComparison.Ordinal);
        Assert.Contains("round,R-2026-1,theme,\"two\nlines\",applications,3\n", csv, StringComparison.Ordinal);
        var records = CsvTable.Read(new StringReader(csv)).Select(r => r.Fields).ToArray();
        Assert.All(records, r => Assert.Equal(6, r.Length));
        Assert.Equal(keys, records.Where(r => r[2] == "theme" && r[4] == "applications").Select(r => r[3]));
    }
}

using System.Text.RegularExpressions;
using Grants.Evaluation.Reporting;

namespace Grants.Evaluation.Tests;

/// <summary>The human report is one self-contained page whose sentences follow from the interval bounds.</summary>
public sealed class HtmlReportTests
{
    private static readonly string Html = HtmlReport.Render(ReportTests.SampleReport);

    [Fact]
    public void ThePageIsSelfContained()
    {
        Assert.StartsWith("<!DOCTYPE html>", Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", Html, StringComparison.OrdinalIgnoreCase);
        // The only URL is the SVG namespace; no stylesheet, image or font is fetched.
        var urls = Regex.Matches(Html, "(?:src|href)=\"([^\"#]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Empty(urls);
        Assert.Contains("<title>CONSORT flow diagram</title>", Html, StringComparison.Ordinal);
        Assert.True(Regex.Matches(Html, "<svg ").Count >= 4, "deadweight, effects, strata, CONSORT and balance charts");
    }

    [Fact]
    public void EveryOutcomeAndLimitationAppears()
    {
        foreach (var entry in ReportTests.SampleReport.Outcomes)
        {
            Assert.Contains($"{entry.Wave}: {System.Net.WebUtility.HtmlEncode(HtmlReport.Label(entry.Outcome))}", Html, StringComparison.Ordinal);
        }

        Assert.Contains("displacement", Html, StringComparison.Ordinal);
        // Some losers were funded and some winners declined, so deadweight is the untreated complier mean (Python reference 0.4286, interval 20% to 66%).
        Assert.Contains("would have gone ahead without the subsidy in wave 1", Html, StringComparison.Ordinal);
        Assert.Contains("we can rule out deadweight above 66%", Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.20, 0.05, 0.35, "It raised it by at least 5.0 points.")]
    [InlineData(-0.20, -0.35, -0.05, "It lowered it by at least 5.0 points.")]
    [InlineData(0.10, -0.09, 0.29, "The data are consistent with no effect; an increase of more than 29.0 points or a decrease of more than 9.0 points can be ruled out.")]
    [InlineData(-0.13, -0.27, -0.0004, "It lowered it, though possibly by very little.")]
    public void TheEffectSentenceSaysWhatTheIntervalRulesOut(double estimate, double lower, double upper, string expected)
    {
        var entry = ReportTests.SampleReport.Outcomes[0];
        entry = entry with { Primary = entry.Primary with { Estimate = estimate, Ci = new Ci(lower, upper) } };
        Assert.EndsWith(expected, HtmlReport.EffectSentence(entry), StringComparison.Ordinal);
    }

    [Fact]
    public void NamesFromTheDataAreEscaped()
    {
        var report = ReportTests.SampleReport with { Source = ReportTests.SampleReport.Source with { Rounds = ["<b>R</b>"] } };
        var html = HtmlReport.Render(report);
        Assert.Contains("&lt;b&gt;R&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>R</b>", html, StringComparison.Ordinal);
    }
}

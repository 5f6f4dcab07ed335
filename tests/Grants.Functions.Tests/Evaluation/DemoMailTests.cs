using System.Text.RegularExpressions;
using Grants.Cli.Commands;
using MimeKit;

namespace Grants.Functions.Tests.Evaluation;

/// <summary>The mail <c>grants demo</c> leaves behind links to the system that actually served the demo.</summary>
public sealed partial class DemoMailTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _output = Directory.CreateTempSubdirectory("grants-demo-mail-").FullName;

    [Fact]
    public async Task SurveyInvitationsLinkToTheHostTheDemoRan()
    {
        var log = new StringWriter();

        var exit = await DemoCommand.RunAsync(applicants: 20, seed: 11, _output, log, Ct);

        Assert.True(exit == 0, log.ToString());
        var served = new Uri(RunningAt().Match(log.ToString()).Groups["url"].Value);
        var links = Directory.EnumerateFiles(Path.Combine(_output, "mail"), "*.eml")
            .Select(file => MimeMessage.Load(file).TextBody ?? string.Empty)
            .SelectMany(body => QuestionnaireLink().Matches(body))
            .Select(match => new Uri(match.Value))
            .ToList();
        Assert.True(links.Count >= 20, $"{links.Count} questionnaire links in the demo's mail");
        Assert.All(links, link => Assert.Equal(served.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority)));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [GeneratedRegex(@"Grants is running at (?<url>\S+);")]
    private static partial Regex RunningAt();

    [GeneratedRegex(@"\S+/api/respond/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]{43}")]
    private static partial Regex QuestionnaireLink();
}

using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Grants.Cli.Commands;
using Grants.Contracts.FollowUp;
using Grants.Contracts.Lottery;
using Grants.Evaluation.Reporting;
using Grants.Functions.FollowUp;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;
using MimeKit;

namespace Grants.Functions.Tests.FollowUp;

/// <summary>
/// From a published draw to an evaluation anyone can re-run: surveys for every pool unit, invitations
/// and reminders through a real SMTP server, answers through personal tokens, and the export.
/// </summary>
public sealed partial class FollowUpTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WinnersAndLosersAreFollowedUpAndTheExportReproducesTheEvaluation()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await PublishedRoundAsync(scenario);

        // Every unit — winner or loser — has a survey per wave, on the same dates.
        var first = drawn.Applications[0];
        // Tokens are issued on the moved clock, so each step makes fresh clients.
        HttpClient Owner() => api.As(Roles.Applicant, organisation: first.OrganisationKvk, subject: $"user-{first.OrganisationKvk}");
        HttpClient Ministry() => api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var surveys = await (await Owner().GetAsync($"api/applications/{first.Id}/surveys", Ct)).ReadAsync<List<SurveyResponse>>();
        Assert.Equal([1, 2], surveys.Select(s => s.Wave));
        Assert.All(surveys, s => Assert.Equal("Scheduled", s.Status));
        var opensAt = surveys[0].OpensAt;
        foreach (var application in drawn.Applications)
        {
            var theirs = await (await drawn.Ministry.GetAsync($"api/applications/{application.Id}/surveys", Ct)).ReadAsync<List<SurveyResponse>>();
            Assert.Equal(opensAt, theirs.Single(s => s.Wave == 1).OpensAt);
        }

        var strangerKvk = GrantBuilders.NewKvk();
        (await api.RegisteredApplicantAsync(strangerKvk)).Dispose();
        HttpClient Stranger() => api.As(Roles.Applicant, organisation: strangerKvk, subject: $"user-{strangerKvk}");
        Assert.Equal(HttpStatusCode.NotFound, (await Stranger().GetAsync($"api/applications/{first.Id}/surveys", Ct)).StatusCode);

        // Twelve months later the first wave opens: an invitation per unit, through SMTP.
        api.Advance(opensAt - api.Clock.GetUtcNow() + TimeSpan.FromHours(1));
        await api.FireAsync(nameof(RunFollowUp));
        await api.FireAsync(nameof(RelayOutbox));
        var links = new Dictionary<string, string>();
        foreach (var application in drawn.Applications)
        {
            var mail = await api.Smtp.WaitForAsync(m => To(m) == GrantBuilders.ContactEmail(application.OrganisationKvk) && (m.TextBody ?? string.Empty).Contains("/api/respond/", StringComparison.Ordinal));
            links[application.Id] = RespondPath(mail);
        }

        using var browser = api.Anonymous();

        // A wrong secret, or another survey's respondent under this secret, opens nothing.
        var firstLink = links[first.Id];
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(firstLink[..^3] + "AAA", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(Forge(firstLink, links[drawn.Applications[1].Id]), Ct)).StatusCode);

        // The page works without JavaScript: a form, saved in parts, then submitted once.
        var page = await browser.GetStringAsync(firstLink, Ct);
        Assert.Contains("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        var bad = await browser.PostAsync(firstLink, MailText.Form(("productivity", "9")), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("href=\"#productivity\"", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(firstLink, MailText.Form(("project", "smaller"), ("project", "later"), ("action", "save")), Ct)).StatusCode);
        var resumed = await browser.GetStringAsync(firstLink, Ct);
        Assert.Contains("value=\"smaller\" checked", resumed, StringComparison.Ordinal);

        // Emptying a question the page showed clears its earlier answer.
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(firstLink, MailText.Form(("shown", "project"), ("action", "save")), Ct)).StatusCode);
        Assert.DoesNotContain("checked", await browser.GetStringAsync(firstLink, Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(firstLink, MailText.Form(("shown", "project"), ("project", "smaller"), ("project", "later"), ("action", "save")), Ct)).StatusCode);

        // Posts are small url-encoded forms; for a link that opens nothing the body is not even read.
        var huge = new StringContent("money_spent=" + new string('9', 200_000), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.PostAsync(Forge(firstLink, links[drawn.Applications[1].Id]), huge, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await browser.PostAsync(firstLink, new StringContent("money_spent=" + new string('9', 200_000), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await browser.PostAsync(firstLink, new MultipartFormDataContent { { new StringContent("1"), "productivity" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync(firstLink, MailText.Form([.. Enumerable.Range(0, 300).Select(i => ($"f{i}", "1"))]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(firstLink, MailText.Form(("money_spent", "42000"), ("quality_of_work", "4"), ("business_performance", "refused"), ("action", "submit")), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await browser.PostAsync(firstLink, MailText.Form(("money_spent", "1"), ("action", "submit")), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await browser.GetAsync(firstLink, Ct)).StatusCode);

        // A second respondent of the same organisation gets a token of its own.
        var wave1 = surveys.Single(s => s.Wave == 1);
        var added = await (await Owner().PostAsync($"api/surveys/{wave1.Id}/respondents", HttpAssertions.Json(new AddRespondentRequest("employee_representative", "or@example.org", "en")), Ct)).ReadAsync<SurveyResponse>(HttpStatusCode.Created);
        Assert.Equal(["management", "employee_representative"], added.Respondents.Select(r => r.Role));
        Assert.Equal(HttpStatusCode.NotFound, (await Stranger().PostAsync($"api/surveys/{wave1.Id}/respondents", HttpAssertions.Json(new AddRespondentRequest("other", "x@example.org", "nl")), Ct)).StatusCode);
        await api.FireAsync(nameof(RelayOutbox));
        var representative = await api.Smtp.WaitForAsync(m => To(m) == "or@example.org");
        Assert.Contains("Follow-up study", representative.Subject, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(RespondPath(representative), MailText.Form(("labour_relations", "5"), ("action", "submit")), Ct)).StatusCode);

        // While the wave runs, staff see response by arm; one answer in one arm is a differential worth an alert.
        var monitor = await (await Ministry().GetAsync($"api/rounds/{drawn.Round.Id}/follow-up", Ct)).ReadAsync<FollowUpMonitorResponse>();
        var running = monitor.Waves.Single(w => w.Wave == 1);
        Assert.Equal(6, running.Winners.Units + running.Losers.Units);
        Assert.Equal(6, running.Winners.Invited + running.Losers.Invited);
        Assert.Equal(1, running.Winners.Responded + running.Losers.Responded);
        Assert.True(running.Alert);
        Assert.Equal(0, monitor.Waves.Single(w => w.Wave == 2).Winners.Invited);

        // Two weeks on, everyone who has not answered is reminded; those who answered are not.
        api.Advance(TimeSpan.FromDays(14));
        await api.FireAsync(nameof(RunFollowUp));
        await api.FireAsync(nameof(RelayOutbox));
        var reminded = drawn.Applications.Skip(1).ToList();
        foreach (var application in reminded)
        {
            var reminder = await api.Smtp.WaitForAsync(m => To(m) == GrantBuilders.ContactEmail(application.OrganisationKvk) && (m.Subject ?? string.Empty).StartsWith("Herinnering", StringComparison.Ordinal));
            links[application.Id] = RespondPath(reminder); // the reminder's own token
        }

        Assert.DoesNotContain(api.Smtp.Messages, m => To(m) == GrantBuilders.ContactEmail(first.OrganisationKvk) && (m.Subject ?? string.Empty).StartsWith("Herinnering", StringComparison.Ordinal));

        // The others answer: half went ahead anyway, half did not.
        for (var i = 0; i < reminded.Count; i++)
        {
            var answer = i % 2 == 0 ? MailText.Form(("project", "as_planned"), ("money_spent", "30000"), ("action", "submit")) : MailText.Form(("project", "not_at_all"), ("money_spent", "0"), ("action", "submit"));
            Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync(links[reminded[i].Id], answer, Ct)).StatusCode);
        }

        // Everyone has answered: no differential left.
        Assert.False((await (await Ministry().GetAsync($"api/rounds/{drawn.Round.Id}/follow-up", Ct)).ReadAsync<FollowUpMonitorResponse>()).Waves.Single(w => w.Wave == 1).Alert);

        // One organisation withdraws its consent: its answers leave the evaluation, its place in the lottery stays.
        var withdrawing = reminded[4];
        HttpClient Withdrawing() => api.As(Roles.Applicant, organisation: withdrawing.OrganisationKvk, subject: $"user-{withdrawing.OrganisationKvk}");
        Assert.Equal(HttpStatusCode.NoContent, (await Withdrawing().PostAsync($"api/applications/{withdrawing.Id}/follow-up-consent/withdrawal", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Withdrawing().PostAsync($"api/applications/{withdrawing.Id}/follow-up-consent/withdrawal", null, Ct)).StatusCode); // repeatable
        Assert.Equal(HttpStatusCode.NotFound, (await Stranger().PostAsync($"api/applications/{withdrawing.Id}/follow-up-consent/withdrawal", null, Ct)).StatusCode);
        var withdrawn = await (await Withdrawing().GetAsync($"api/applications/{withdrawing.Id}/surveys", Ct)).ReadAsync<List<SurveyResponse>>();
        Assert.All(withdrawn, s => Assert.Equal("Withdrawn", s.Status));

        // Only the ministry and auditors get the export; it names units by pseudonym only.
        Assert.Equal(HttpStatusCode.Forbidden, (await Owner().GetAsync($"api/rounds/{drawn.Round.Id}/evaluation/export", Ct)).StatusCode);
        var zipBytes = await (await Ministry().GetAsync($"api/rounds/{drawn.Round.Id}/evaluation/export", Ct)).Content.ReadAsByteArrayAsync(Ct);
        var directory = Directory.CreateTempSubdirectory("grants-export-").FullName;
        try
        {
            ZipFile.ExtractToDirectory(new MemoryStream(zipBytes), directory);
            Assert.Equal(["analysis-plan.json", "consort.json", "datapackage.json", "design.json", "lottery-protocol.json", "replicate.py", "respondents.csv", "units.csv"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
            var units = File.ReadAllText(Path.Combine(directory, "units.csv"));
            var respondents = File.ReadAllText(Path.Combine(directory, "respondents.csv"));
            foreach (var application in drawn.Applications)
            {
                // Not even the pool id, which the lottery protocol and the pool document link to the application.
                Assert.DoesNotContain((await scenario.Read(Ministry(), application.Id)).PoolId!, units + respondents);
                Assert.DoesNotContain(application.Id, units + respondents);
                Assert.DoesNotContain(application.OrganisationKvk, units + respondents);
                Assert.DoesNotContain(GrantBuilders.ContactEmail(application.OrganisationKvk), units + respondents);
            }

            Assert.Equal(7, units.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            // The data package describes exactly the columns of units.csv, in order.
            var package = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "datapackage.json")))!;
            var declared = package["resources"]![0]!["schema"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>());
            Assert.Equal(units.Split('\n')[0].Split(','), declared);
            var consort = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "consort.json")))!;
            Assert.Equal(1, consort["waves"]![0]!["wave"]!.GetValue<int>()); // wave numbers are not counts
            Assert.Contains("employee_representative", respondents, StringComparison.Ordinal);
            Assert.Contains(",refused,", respondents, StringComparison.Ordinal); // "prefer not to say" keeps its own code

            // grants evaluate on the export gives exactly the endpoint's report.
            var endpoint = await (await Ministry().GetAsync($"api/rounds/{drawn.Round.Id}/evaluation", Ct)).Content.ReadAsStringAsync(Ct);
            var output = Path.Combine(directory, "report.json");
            Assert.Equal(0, EvaluateCommand.Run(directory, output, null, new StringWriter(), new StringWriter()));
            Assert.Equal(endpoint, File.ReadAllText(output));

            var report = ReportJson.Deserialize(endpoint);
            var realised = report.Outcomes.Single(o => o.Wave == 1 && o.Outcome == "realised");
            Assert.Equal(5, realised.Control.N + realised.Treatment.N); // six answered; one withdrew its consent
            Assert.Equal(3, realised.Control.X + realised.Treatment.X); // the first (smaller, later) and two others (as planned)
            Assert.Equal(6, report.Consort.Pool);
            // Whoever holds the key (the data steward) can find a unit's row; nobody else can.
            var poolId = (await scenario.Read(Ministry(), withdrawing.Id)).PoolId!;
            var unitId = Grants.Evaluation.Export.Pseudonyms.UnitId(api.PseudonymKey, drawn.Round.Id, poolId);
            Assert.Matches("^U-[0-9a-f]{20}$", unitId);
            var withdrawnRow = units.Split('\n').Single(line => line.StartsWith(unitId + ",", StringComparison.Ordinal));
            Assert.Contains(",0,refused,refused,", withdrawnRow, StringComparison.Ordinal);
            Assert.DoesNotContain(unitId, respondents);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ARespondentAnswersInARealBrowserWithoutJavaScript()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Chromium is missing: apt-get install chromium (the test project's build does this when run as root).");
        var scenario = new LotteryScenario(api);
        var drawn = await PublishedRoundAsync(scenario);

        var application = drawn.Applications[0];
        var surveys = await (await drawn.Ministry.GetAsync($"api/applications/{application.Id}/surveys", Ct)).ReadAsync<List<SurveyResponse>>();
        api.Advance(surveys.Single(s => s.Wave == 1).OpensAt - api.Clock.GetUtcNow() + TimeSpan.FromHours(1));
        await api.FireAsync(nameof(RunFollowUp));
        await api.FireAsync(nameof(RelayOutbox));
        var invitation = await api.Smtp.WaitForAsync(m => To(m) == GrantBuilders.ContactEmail(application.OrganisationKvk) && (m.TextBody ?? string.Empty).Contains("/api/respond/", StringComparison.Ordinal));
        var url = new Uri(api.Host.BaseAddress, RespondPath(invitation)).ToString();

        var (exit, output) = await RunNodeAsync("tests/browser/questionnaire.mjs", url);

        Assert.True(exit == 0, output);
        using var seen = System.Text.Json.JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = seen.RootElement;
        Assert.Equal("nl", root.GetProperty("lang").GetString());
        Assert.True(root.GetProperty("controls").GetInt32() > 20);
        Assert.Equal(0, root.GetProperty("unlabelled").GetInt32());
        Assert.Contains("opgeslagen", root.GetProperty("savedNotice").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("smallerStillTicked").GetBoolean());
        Assert.Equal("25000", root.GetProperty("moneyStillFilled").GetString());
        Assert.Equal("Hartelijk dank", root.GetProperty("confirmation").GetString());
        Assert.Equal(409, root.GetProperty("reuseStatus").GetInt32());

        // What the browser sent is what is stored.
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var zip = new ZipArchive(new MemoryStream(await (await ministry.GetAsync($"api/rounds/{drawn.Round.Id}/evaluation/export", Ct)).Content.ReadAsByteArrayAsync(Ct)));
        using var reader = new StreamReader(zip.GetEntry("respondents.csv")!.Open());
        var lines = (await reader.ReadToEndAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var row = lines.Skip(1).Select(l => l.Split(',')).Single(r => r[1] == "1" && r[4] == "1");
        string Value(string column) => row[Array.IndexOf(header, column)];
        Assert.Equal(("1", "1", "0", "25000", "4"), (Value("project.smaller"), Value("project.later"), Value("project.as_planned"), Value("money_spent"), Value("productivity")));
    }

    private static async Task<(int Exit, string Output)> RunNodeAsync(string script, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("node") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>A round of six applications, drawn and published (confirmed if the balance check held it).</summary>
    private static async Task<LotteryScenario.DrawnRound> PublishedRoundAsync(LotteryScenario scenario)
    {
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("small test pool")), Ct));
        }

        return drawn;
    }

    private static string To(MimeMessage message) => message.To.Mailboxes.Single().Address;

    private static string RespondPath(MimeMessage message) => MailText.RespondLink().Match(message.TextBody ?? string.Empty).Value.TrimStart('/') is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException("no questionnaire link in the mail");

    /// <summary>The survey and respondent of one token with the secret of another.</summary>
    private static string Forge(string mine, string theirs) => $"{mine[..mine.LastIndexOf('.')]}{theirs[theirs.LastIndexOf('.')..]}";
}

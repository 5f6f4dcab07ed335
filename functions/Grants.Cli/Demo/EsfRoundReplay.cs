using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.FollowUp;
using Grants.Contracts.Lottery;
using Grants.Contracts.Operations;
using Grants.Contracts.Organisations;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Evaluation.Reporting;
using Grants.Functions.FollowUp;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.LocalHost;
using Grants.LocalHost.Identity;

namespace Grants.Cli.Demo;

/// <summary>What the demo produced.</summary>
/// <param name="ProtocolPath">The draw's protocol, as published.</param>
/// <param name="CutoffsPath">The cut-off document of the changes after the draw (declines moved the reserve list up), which extends the protocol; null when there were none.</param>
public sealed record DemoResult(string RoundId, EvaluationReport Report, string ProtocolPath, string? CutoffsPath, string AnnouncementsPath, string ReportPath, string HtmlPath, string ExportPath, string MailDirectory)
{
    /// <summary>The command that checks the draw and every change after it against what was announced before it.</summary>
    public string VerifyCommand => CutoffsPath is { } cutoffs
        ? $"grants lottery verify {Path.GetFileName(cutoffs)} --extends {Path.GetFileName(ProtocolPath)} --announcements {Path.GetFileName(AnnouncementsPath)}"
        : $"grants lottery verify {Path.GetFileName(ProtocolPath)} --announcements {Path.GetFileName(AnnouncementsPath)}";
}

/// <summary>
/// Replays an ESF-E-2008-like round through the HTTP API, as its users would: ministry staff set up and
/// open the round, organisations apply with their PDFs, eligibility is decided, the ministry and a
/// notary commit to seeds and the lottery is drawn, the committee scores, the ministry awards (four eyes
/// above €100,000), some grantees decline and the reserve list moves up, then two follow-up waves are
/// answered through the links in the mailed invitations. Only the clock is the demo's: it jumps forward
/// to the wave dates.
/// </summary>
public sealed class EsfRoundReplay(LocalFunctionsHost host, DemoClock clock, string signingKey, int applicants, int seed, TextWriter log)
{
    // ESF-E 2008 awardees by sector (domain.md §1): industry 37%, care 24%, business services 20%, the rest other sectors.
    private static readonly (string Sector, double Share)[] SectorMix =
    [
        ("industry", 0.37), ("care", 0.24), ("business-services", 0.20), ("government", 0.05), ("education", 0.05),
        ("construction", 0.04), ("transport-logistics", 0.03), ("other", 0.02),
    ];

    private static readonly string[] Themes = ["smarter-working", "flexible-work-organisation", "new-relations-at-work"];

    private static readonly CriterionDto[] Criteria =
    [
        new("fit", "Fit with the themes", 1, 5, 1), new("quality", "Quality of the plan", 1, 5, 2),
        new("involvement", "Employee involvement", 1, 5, 1), new("feasibility", "Feasibility", 1, 5, 1),
    ];

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly Random _random = new(seed);

    private CancellationToken _ct;

    private DemoApi _api = null!;

    public async Task<DemoResult> RunAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        _ct = cancellationToken;
        _api = new DemoApi(host, clock, signingKey, cancellationToken);
        var ministry = _api.Client(Roles.Ministry, null, "beleidsmedewerker");
        var scheme = await _api.ReadAsync<SchemeResponse>(await ministry.PostAsJsonAsync("api/schemes",
            new CreateSchemeRequest("ESF-E social innovation (demo)", "ProjectSubsidy", "Project subsidies for workplace innovation."), _ct), HttpStatusCode.Created);
        // €7m for 265 applicants in 2008; a demo of another size keeps that ratio, so the round stays oversubscribed.
        var ceiling = (long)Math.Round(7_000_000.0 * applicants / 265 / 1_000) * 1_000_00;
        var configuration = new RoundConfigurationDto(2008, ceiling, 120_000_00, "ProjectSubsidy", null, Themes, null,
            DemoApi.Local(clock.GetUtcNow().AddMinutes(-1)), DemoApi.Local(clock.GetUtcNow().AddDays(14)), null, [12, 24],
            new ConsentTextDto("Wij werken mee aan het vervolgonderzoek, ook als wij niet worden ingeloot.", "We take part in the follow-up research, also if we are not drawn."),
            MinimumControlGroup: applicants / 10,
            // The evaluation speaks of the second wave, two years on: the plan says so before the draw, the rest as the defaults.
            AnalysisPlan: new AnalysisPlanDto(PrimaryWave: 2));
        var round = await _api.ReadAsync<RoundResponse>(await ministry.PostAsJsonAsync($"api/schemes/{scheme.Id}/rounds", new CreateRoundRequest("ESF-E 2008 (demo)", configuration), _ct), HttpStatusCode.Created);
        await _api.OkAsync(ministry.PostAsync($"api/rounds/{round.Id}/open", null, _ct));
        log.WriteLine($"Round {round.Id} open: €{ceiling / 100:N0} ceiling, €120,000 maximum, themes {string.Join(", ", Themes)}.");

        // The ministry and a notary commit to their secret seeds before the round closes (derived from --seed, so the demo is reproducible).
        var notary = _api.Client(Roles.Notary, null, "notaris");
        var (ministrySeed, notarySeed) = (SHA256.HashData(Encoding.UTF8.GetBytes($"ministry-{seed}")), SHA256.HashData(Encoding.UTF8.GetBytes($"notary-{seed}")));
        await _api.OkAsync(ministry.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/commitments", new CommitSeedRequest(LotteryDraw.Commitment(ministrySeed)), _ct));
        await _api.OkAsync(notary.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/commitments", new CommitSeedRequest(LotteryDraw.Commitment(notarySeed)), _ct));

        var organisations = await ApplyAsync(round.Id);
        log.WriteLine($"{organisations.Count} organisations applied.");

        await _api.OkAsync(ministry.PostAsync($"api/rounds/{round.Id}/close", null, _ct));
        var ineligible = 0;
        foreach (var (_, application) in organisations)
        {
            var eligible = _random.NextDouble() >= 0.04;
            ineligible += eligible ? 0 : 1;
            await _api.OkAsync(ministry.PostAsJsonAsync($"api/applications/{application}/eligibility",
                new DecideEligibilityRequest(eligible ? "eligible" : "ineligible", eligible ? null : ["not-an-innovation-project"]), _ct));
        }

        await _api.OkAsync(ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, _ct));
        await _api.OkAsync(ministry.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/reveals", new RevealSeedRequest(Convert.ToHexStringLower(ministrySeed)), _ct));
        await _api.OkAsync(notary.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/reveals", new RevealSeedRequest(Convert.ToHexStringLower(notarySeed)), _ct));
        // 202: the client has waited for the draw's operation (the protocol computed and, unless the balance check holds it, every applicant told).
        using var drawn = await ministry.PostAsync($"api/rounds/{round.Id}/lottery/draw", null, _ct);
        if (drawn.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/rounds/{round.Id}/lottery/draw: {(int)drawn.StatusCode} {await drawn.Content.ReadAsStringAsync(_ct)}");
        }

        var lottery = (await ministry.GetFromJsonAsync<LotteryStatusResponse>($"api/rounds/{round.Id}/lottery", Web, _ct))!;
        if (lottery.Draw!.HeldForBalance)
        {
            await _api.OkAsync(ministry.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/publish", new ConfirmPublicationRequest("Demo: imbalance reviewed, draw stands."), _ct));
        }

        log.WriteLine($"{ineligible} ineligible; lottery drawn from a pool of {organisations.Count - ineligible} (protocol {lottery.Draw.ProtocolHash[..12]}…).");

        var (awarded, declined, rejected) = await AssessAndAwardAsync(round.Id, ministry, organisations);
        log.WriteLine($"{awarded} awarded, {declined} declined (the reserve list moved up), {rejected} rejected after assessment.");

        var mailbox = new DemoMailbox(Path.Combine(outputDirectory, "mail"));
        foreach (var wave in new[] { 1, 2 })
        {
            var (invited, answered) = await AnswerWaveAsync(round.Id, wave, organisations, mailbox, ministry);
            log.WriteLine($"Follow-up wave {wave} ({(wave == 1 ? 12 : 24)} months after the draw): {invited} invited, {answered} answered.");
        }

        ministry = _api.Client(Roles.Ministry, null, "beleidsmedewerker");
        Directory.CreateDirectory(outputDirectory);
        var paths = (Protocol: Path.Combine(outputDirectory, "lottery-protocol.json"), Announcements: Path.Combine(outputDirectory, "lottery-announcements.json"),
            Report: Path.Combine(outputDirectory, "report.json"), Html: Path.Combine(outputDirectory, "report.html"), Export: Path.Combine(outputDirectory, "evaluation-export.zip"));
        // The current version: after the declines, the cut-off document that extends the draw's protocol, which is fetched by its hash.
        var current = await ministry.GetStringAsync($"api/rounds/{round.Id}/lottery/protocol", _ct);
        string? cutoffs = null;
        if (CutoffDocument.IsOne(Encoding.UTF8.GetBytes(current)))
        {
            cutoffs = Path.Combine(outputDirectory, "lottery-cutoffs.json");
            await File.WriteAllTextAsync(cutoffs, current, _ct);
            current = await ministry.GetStringAsync($"api/rounds/{round.Id}/lottery/protocol?protocolHash={CutoffDocument.FromJson(current).Extends}", _ct);
        }

        await File.WriteAllTextAsync(paths.Protocol, current, _ct);
        await File.WriteAllTextAsync(paths.Announcements, await ministry.GetStringAsync($"api/rounds/{round.Id}/lottery/announcements", _ct), _ct);
        var reportJson = await ministry.GetStringAsync($"api/rounds/{round.Id}/evaluation", _ct);
        await File.WriteAllTextAsync(paths.Report, reportJson, _ct);
        await File.WriteAllTextAsync(paths.Html, await ministry.GetStringAsync($"api/rounds/{round.Id}/evaluation.html", _ct), _ct);
        await File.WriteAllBytesAsync(paths.Export, await ministry.GetByteArrayAsync($"api/rounds/{round.Id}/evaluation/export", _ct), _ct);
        return new DemoResult(round.Id, ReportJson.Deserialize(reportJson), paths.Protocol, cutoffs, paths.Announcements, paths.Report, paths.Html, paths.Export, Path.Combine(outputDirectory, "mail"));
    }

    /// <summary>Organisations register and submit complete applications (both PDFs attached), eight at a time.</summary>
    private async Task<List<(string Kvk, string Application)>> ApplyAsync(string roundId)
    {
        var plans = Enumerable.Range(0, applicants).Select(i =>
        {
            var sector = Pick(SectorMix.Select(s => (s.Sector, s.Share)).ToArray());
            var isPublic = sector is "government" or "education" || (sector == "care" && _random.NextDouble() < 0.5);
            return (Kvk: (60_000_000 + (seed % 1000 * 10_000) + i).ToString(CultureInfo.InvariantCulture), Sector: sector, IsPublic: isPublic,
                Size: SizeClasses.All[_random.Next(SizeClasses.All.Count)], Amount: _random.Next(30, 121) * 1_000_00L, Theme: Themes[_random.Next(Themes.Length)],
                Language: _random.NextDouble() < 0.85 ? "nl" : "en");
        }).ToList();

        var results = new (string, string)[plans.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, plans.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = _ct }, async (i, ct) =>
        {
            var plan = plans[i];
            using var applicant = _api.Client(Roles.Applicant, plan.Kvk, $"user-{plan.Kvk}");
            await _api.OkAsync(applicant.PostAsJsonAsync("api/organisations", new RegisterOrganisationRequest(plan.Kvk, $"Organisatie {plan.Kvk} BV", plan.Sector, plan.Size, plan.IsPublic, plan.Language, "P. Jansen", DemoApi.Contact(plan.Kvk)), ct));
            var content = new ApplicationContentDto($"Workplace innovation at {plan.Kvk}", "Teams organise their own work to raise productivity and job quality.", [plan.Theme],
                plan.Amount, DateOnly.FromDateTime(clock.GetUtcNow().AddMonths(3).UtcDateTime), 18, plan.Amount / 4, null, ConsentToFollowUp: true);
            var started = await _api.ReadAsync<ApplicationResponse>(await applicant.PostAsJsonAsync($"api/rounds/{roundId}/applications", new StartApplicationRequest(content), ct), HttpStatusCode.Created);
            foreach (var (kind, name) in new[] { ("project-plan", "projectplan.pdf"), ("budget", "begroting.pdf") })
            {
                var pdf = new ByteArrayContent(DemoApi.Pdf(i));
                pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                await _api.OkAsync(applicant.PutAsync($"api/applications/{started.Id}/attachments/{kind}?fileName={name}", pdf, ct));
            }

            await _api.OkAsync(applicant.PostAsync($"api/applications/{started.Id}/submit", null, ct));
            results[i] = (plan.Kvk, started.Id);
        });
        return [.. results];
    }

    /// <summary>
    /// The committee scores every selected application; the ministry awards the positive ones and rejects
    /// the others; grantees accept or (a few) decline. Rejections and declines move the cut-off down the
    /// published list, so the loop repeats for applications newly selected from the reserve.
    /// </summary>
    private async Task<(int Awarded, int Declined, int Rejected)> AssessAndAwardAsync(string roundId, HttpClient ministry, List<(string Kvk, string Application)> organisations)
    {
        string[] members = ["assessor-anna", "assessor-bram", "assessor-cees"];
        await _api.OkAsync(ministry.PutAsJsonAsync($"api/rounds/{roundId}/committee", new SetCommitteeRequest("voorzitter", members, Criteria, 3.0), _ct));
        var approver = _api.Client(Roles.Ministry, null, "teamleider");
        var chair = _api.Client(Roles.Assessor, null, "voorzitter");
        var kvkOf = organisations.ToDictionary(o => o.Application, o => o.Kvk);
        var decided = new HashSet<string>();
        var (awarded, declined, rejected) = (0, 0, 0);
        for (var pass = 0; pass < 10; pass++)
        {
            // The client waits for the assignment it starts; its status then says how many were newly assigned.
            var started = await _api.ReadAsync<OperationResponse>(await ministry.PostAsync($"api/rounds/{roundId}/assessments/assign", null, _ct), HttpStatusCode.Accepted);
            var newlyAssigned = (await _api.ReadAsync<OperationResponse>(await ministry.GetAsync($"api/operations/{started.Id}", _ct))).Done;
            foreach (var member in members)
            {
                var assessor = _api.Client(Roles.Assessor, null, member);
                foreach (var assessment in await _api.ReadAsync<List<AssessmentResponse>>(await assessor.GetAsync("api/assessors/me/assessments", _ct)))
                {
                    if (assessment.RoundId == roundId && assessment.Sheets.All(s => s.Member != member) && assessment.Advice is null)
                    {
                        var quality = _random.NextDouble() < 0.9 ? 4 : 2;
                        await _api.OkAsync(assessor.PostAsJsonAsync($"api/assessments/{assessment.Id}/scores", new SubmitScoresRequest(
                            Criteria.Select(c => new ScoreDto(c.Code, Math.Clamp(quality + _random.Next(-1, 2), 1, 5), $"{c.Name}: judged against the plan.")).ToList()), _ct));
                    }
                }
            }

            var newlyDecided = 0;
            foreach (var application in organisations.Select(o => o.Application).Where(id => !decided.Contains(id)))
            {
                var current = await _api.ReadAsync<ApplicationResponse>(await ministry.GetAsync($"api/applications/{application}", _ct));
                if (current.Status != "Selected")
                {
                    continue;
                }

                using var read = await ministry.GetAsync($"api/assessments/assessment-{application}", _ct);
                if (read.StatusCode == HttpStatusCode.NotFound)
                {
                    continue; // selected from the reserve during this pass: assigned in the next
                }

                var assessment = await _api.ReadAsync<AssessmentResponse>(read);
                if (assessment.Aggregate is null)
                {
                    continue;
                }

                decided.Add(application);
                newlyDecided++;
                await _api.OkAsync(chair.PostAsJsonAsync($"api/assessments/{assessment.Id}/advice", new AdviceRequest(assessment.Aggregate.Passes, assessment.Aggregate.Passes ? "Sound plan." : "Too thin on employee involvement."), _ct));
                if (!assessment.Aggregate.Passes)
                {
                    await _api.OkAsync(ministry.PostAsJsonAsync($"api/applications/{application}/reject", new RejectRequest(["assessment-negative"], "The committee advised against the plan."), _ct));
                    rejected++;
                    continue;
                }

                var amount = current.Content.RequestedAmountCents;
                var award = await _api.ReadAsync<ApplicationResponse>(await ministry.PostAsJsonAsync($"api/applications/{application}/award", new AwardRequest(amount), _ct));
                if (award.Status == "AwardProposed")
                {
                    await _api.OkAsync(approver.PostAsync($"api/applications/{application}/award/approve", null, _ct));
                }

                var accept = _random.NextDouble() >= 0.06;
                using var grantee = _api.Client(Roles.Applicant, kvkOf[application], $"user-{kvkOf[application]}");
                await _api.OkAsync(grantee.PostAsJsonAsync($"api/applications/{application}/award/answer", new AnswerAwardRequest(accept), _ct));
                (awarded, declined) = (awarded + 1, declined + (accept ? 0 : 1));
            }

            if (newlyDecided == 0 && newlyAssigned == 0)
            {
                break;
            }
        }

        return (awarded, declined, rejected);
    }

    /// <summary>The clock moves to the wave's date; the timer sends invitations to the mail folder; respondents open their links and answer (some never do).</summary>
    private async Task<(int Invited, int Answered)> AnswerWaveAsync(string roundId, int wave, List<(string Kvk, string Application)> organisations, DemoMailbox mailbox, HttpClient ministry)
    {
        ministry = _api.Client(Roles.Ministry, null, "beleidsmedewerker");
        var surveys = await _api.ReadAsync<List<SurveyResponse>>(await ministry.GetAsync($"api/applications/{organisations[0].Application}/surveys", _ct));
        var opens = surveys.Single(s => s.Wave == wave).OpensAt;
        clock.AdvanceTo(opens.AddHours(1));
        var sent = DateTimeOffset.UtcNow.AddSeconds(-1);
        await host.Timers.FireAsync(nameof(RunFollowUp), _ct);
        await host.Timers.FireAsync(nameof(RelayOutbox), _ct);
        var links = mailbox.QuestionnaireLinks(sent);

        ministry = _api.Client(Roles.Ministry, null, "beleidsmedewerker");
        var answered = 0;
        // Respondents follow the link as mailed: a link to a host that is not there fails the demo.
        using var browser = new HttpClient();
        foreach (var (kvk, application) in organisations.OrderBy(o => o.Kvk, StringComparer.Ordinal))
        {
            if (!links.TryGetValue(DemoApi.Contact(kvk), out var link))
            {
                continue;
            }

            var status = (await _api.ReadAsync<ApplicationResponse>(await ministry.GetAsync($"api/applications/{application}", _ct))).Status;
            var received = status is "Awarded" or "Accepted";
            if (_random.NextDouble() >= (received ? 0.85 : 0.70) - (0.05 * (wave - 1)))
            {
                continue; // never answers this wave
            }

            await _api.OkAsync(browser.PostAsync(new Uri(link), new FormUrlEncodedContent(SyntheticAnswers.For(received, wave, _random)), _ct));
            answered++;
        }

        return (links.Count, answered);
    }

    private string Pick((string Value, double Share)[] choices)
    {
        var u = _random.NextDouble() * choices.Sum(c => c.Share);
        foreach (var (value, share) in choices)
        {
            if ((u -= share) < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }
}

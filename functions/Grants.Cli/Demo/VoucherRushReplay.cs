using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Grants.Contracts.Applications;
using Grants.Contracts.Evaluation;
using Grants.Contracts.Lottery;
using Grants.Contracts.Organisations;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Domain.Allocation;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.LocalHost;

namespace Grants.Cli.Demo;

/// <summary>What the opening-day rush left: the round, its protocol and announcements, and what the draw decided.</summary>
public sealed record RushResult(string RoundId, string ProtocolPath, string AnnouncementsPath, LotteryProtocol Protocol);

/// <summary>
/// Replays an opening-day rush for innovation vouchers allocated first come, first served by day (docs/allocation.md),
/// through the HTTP API: a fifth of the applicants apply on the opening day, which the vouchers cover; the rest on the
/// second day, when the vouchers run out, so that day is drawn; the power of each method is compared before the draw;
/// the protocol states every applicant's chance and is verified. (The 2010 innovation vouchers were oversubscribed 300%
/// within two days.) Only the clock is the demo's: it starts the round at nine on a Monday and moves a day on.
/// </summary>
public sealed class VoucherRushReplay(LocalFunctionsHost host, DemoClock clock, string signingKey, int applicants, int seed, TextWriter log)
{
    private const long VoucherCents = 7_500_00;

    private static readonly string[] Themes = ["smarter-working", "flexible-work-organisation", "new-relations-at-work"];

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    public async Task<RushResult> RunAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        var api = new DemoApi(host, clock, signingKey, cancellationToken);
        var local = AmsterdamTime.ToLocal(clock.GetUtcNow());
        var toMonday = (8 - (int)local.DayOfWeek) % 7;
        clock.AdvanceTo(AmsterdamTime.ToInstant(local.Date.AddDays(toMonday == 0 ? 7 : toMonday).AddHours(9), "demo"));
        var ministry = api.Client(Roles.Ministry, null, "beleidsmedewerker");
        var scheme = await api.ReadAsync<SchemeResponse>(await ministry.PostAsJsonAsync("api/schemes",
            new CreateSchemeRequest("Innovation vouchers (demo)", "Voucher", "Vouchers for knowledge from a university or a consultancy."), cancellationToken), HttpStatusCode.Created);
        var vouchers = Math.Max(1, applicants / 4);
        var configuration = new RoundConfigurationDto(2010, vouchers * VoucherCents, VoucherCents, "Voucher", VoucherCents, Themes, null,
            DemoApi.Local(clock.GetUtcNow().AddMinutes(-1)), DemoApi.Local(clock.GetUtcNow().AddDays(3)),
            new AllocationDesignDto(Method: AllocationMethod.FirstComeFirstServedByDay), [12, 24],
            new ConsentTextDto("Wij werken mee aan het vervolgonderzoek, ook als wij geen voucher krijgen.", "We take part in the follow-up research, also if we get no voucher."),
            MinimumControlGroup: 0, Vouchers: new VoucherRulesDto());
        var round = await api.ReadAsync<RoundResponse>(await ministry.PostAsJsonAsync($"api/schemes/{scheme.Id}/rounds", new CreateRoundRequest("Innovation vouchers 2010 (demo)", configuration), cancellationToken), HttpStatusCode.Created);
        await api.OkAsync(ministry.PostAsync($"api/rounds/{round.Id}/open", null, cancellationToken));
        log.WriteLine($"Round {round.Id} open: {vouchers:N0} vouchers of €{VoucherCents / 100:N0}, first come, first served by day.");

        var ministrySeed = SHA256.HashData(Encoding.UTF8.GetBytes($"ministry-rush-{seed}"));
        await api.OkAsync(ministry.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/commitments", new CommitSeedRequest(LotteryDraw.Commitment(ministrySeed)), cancellationToken));

        var firstDay = applicants / 5;
        var applied = await ApplyAsync(api, round.Id, 0, firstDay, cancellationToken);
        log.WriteLine($"Opening day ({DayOf()}): {firstDay:N0} applications.");
        clock.Advance(TimeSpan.FromDays(1));
        applied.AddRange(await ApplyAsync(api, round.Id, firstDay, applicants - firstDay, cancellationToken));
        log.WriteLine($"Second day ({DayOf()}): {applicants - firstDay:N0} applications, for the {vouchers - firstDay:N0} vouchers left.");

        // A day on, staff sign in again: yesterday's token has run out.
        ministry = api.Client(Roles.Ministry, null, "beleidsmedewerker");

        await api.OkAsync(ministry.PostAsync($"api/rounds/{round.Id}/close", null, cancellationToken));
        foreach (var application in applied)
        {
            await api.OkAsync(ministry.PostAsJsonAsync($"api/applications/{application}/eligibility", new DecideEligibilityRequest("eligible"), cancellationToken));
        }

        await api.OkAsync(ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, cancellationToken));
        var power = await api.ReadAsync<PowerPlanResponse>(await ministry.GetAsync($"api/rounds/{round.Id}/evaluation/power", cancellationToken));
        log.WriteLine("What each method would randomise in this pool, and the effect the evaluation could then detect:");
        foreach (var method in power.Methods)
        {
            log.WriteLine(method.Randomised is { } n
                ? string.Create(CultureInfo.InvariantCulture, $"  {method.Method,-22} randomises {n,6:N0}; minimum detectable effect {(method.MinimumDetectableEffect is { } mde ? $"{mde:P1}" : "none")}")
                : $"  {method.Method,-22} {method.Basis}");
        }

        await api.OkAsync(ministry.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/reveals", new RevealSeedRequest(Convert.ToHexStringLower(ministrySeed)), cancellationToken));
        using (var drawn = await ministry.PostAsync($"api/rounds/{round.Id}/lottery/draw", null, cancellationToken))
        {
            if (drawn.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"POST /api/rounds/{round.Id}/lottery/draw: {(int)drawn.StatusCode} {await drawn.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        var lottery = (await ministry.GetFromJsonAsync<LotteryStatusResponse>($"api/rounds/{round.Id}/lottery", Web, cancellationToken))!;
        if (lottery.Draw!.HeldForBalance)
        {
            await api.OkAsync(ministry.PostAsJsonAsync($"api/rounds/{round.Id}/lottery/publish", new ConfirmPublicationRequest("Demo: the selection differs by submission day, as first come, first served intends."), cancellationToken));
        }

        var protocolJson = await ministry.GetStringAsync($"api/rounds/{round.Id}/lottery/protocol", cancellationToken);
        var protocolPath = Path.Combine(outputDirectory, "lottery-protocol.json");
        var announcementsPath = Path.Combine(outputDirectory, "lottery-announcements.json");
        await File.WriteAllTextAsync(protocolPath, protocolJson, cancellationToken);
        await File.WriteAllTextAsync(announcementsPath, await ministry.GetStringAsync($"api/rounds/{round.Id}/lottery/announcements", cancellationToken), cancellationToken);
        var protocol = LotteryProtocol.FromJson(protocolJson);
        foreach (var line in protocol.Lines!)
        {
            log.WriteLine($"Line: {line.Why}.");
        }

        var chances = protocol.Probabilities.GroupBy(p => (p.P, p.Method)).OrderByDescending(g => g.Key.P)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} with chance {g.Key.P:0.####} ({g.Key.Method})"));
        log.WriteLine($"Chances: {string.Join("; ", chances)}.");
        var verification = await api.ReadAsync<VerificationResponse>(await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", cancellationToken));
        log.WriteLine(verification.Verified ? "The protocol verifies." : $"The protocol does not verify: {verification.FirstMismatch}");
        return new RushResult(round.Id, protocolPath, announcementsPath, protocol);
    }

    private string DayOf() => AllocationLayout.DayOf(clock.GetUtcNow()).ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Organisations <paramref name="from"/> onwards register and apply for a voucher with their plan; eight at a time, as a rush arrives.</summary>
    private async Task<List<string>> ApplyAsync(DemoApi api, string roundId, int from, int count, CancellationToken cancellationToken)
    {
        var results = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(from, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var kvk = (70_000_000 + (seed % 1000 * 10_000) + i).ToString(CultureInfo.InvariantCulture);
            using var applicant = api.Client(Roles.Applicant, kvk, $"user-{kvk}");
            await api.OkAsync(applicant.PostAsJsonAsync("api/organisations", new RegisterOrganisationRequest(kvk, $"Onderneming {kvk} BV", "industry", SizeClasses.All[i % SizeClasses.All.Count], false, "nl", "P. Jansen", DemoApi.Contact(kvk)), ct));
            var content = new ApplicationContentDto($"Knowledge question of {kvk}", "How can our teams plan their own work?", [Themes[i % Themes.Length]],
                VoucherCents, DateOnly.FromDateTime(clock.GetUtcNow().AddMonths(1).UtcDateTime), 6, 0, null, ConsentToFollowUp: true);
            var started = await api.ReadAsync<ApplicationResponse>(await applicant.PostAsJsonAsync($"api/rounds/{roundId}/applications", new StartApplicationRequest(content), ct), HttpStatusCode.Created);
            var pdf = new ByteArrayContent(DemoApi.Pdf(i));
            pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            await api.OkAsync(applicant.PutAsync($"api/applications/{started.Id}/attachments/project-plan?fileName=vraag.pdf", pdf, ct));
            await api.OkAsync(applicant.PostAsync($"api/applications/{started.Id}/submit", null, ct));
            results[i - from] = started.Id;
        });
        return [.. results];
    }
}

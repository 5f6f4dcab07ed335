using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Rounds;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using MimeKit;

namespace Grants.Functions.Tests.Applications;

/// <summary>From an open round to a frozen pool, over HTTP, with real Azurite and a real SMTP server.</summary>
public sealed class ApplicationJourneyTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RoundRunsFromOpenToFrozenPoolWithEveryMailOnce()
    {
        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var (metal, care, consultancy, late) = (GrantBuilders.NewKvk(), GrantBuilders.NewKvk(), GrantBuilders.NewKvk(), GrantBuilders.NewKvk());
        using var metalClient = await api.RegisteredApplicantAsync(metal, "industry", "nl");
        using var careClient = await api.RegisteredApplicantAsync(care, "care", "en");
        using var consultancyClient = await api.RegisteredApplicantAsync(consultancy, "business-services", "nl");
        using var lateClient = await api.RegisteredApplicantAsync(late, "construction", "nl");

        // Three organisations apply with PDFs; a fourth only drafts.
        var metalApp = await metalClient.SubmittedAsync(round.Id, GrantBuilders.Content("Zelfroosteren in de productie"));
        var careApp = await careClient.SubmittedAsync(round.Id, GrantBuilders.Content("Self-managing care teams", 110_000_00));
        var consultancyApp = await consultancyClient.SubmittedAsync(round.Id, GrantBuilders.Content("Kennisdeling tussen vestigingen", 60_000_00));
        var lateDraft = await lateClient.DraftAsync(round.Id);
        Assert.All([metalApp, careApp, consultancyApp], a => Assert.Equal("Submitted", a.Status));
        Assert.All([metalApp, careApp, consultancyApp], a => Assert.Matches("^GR-\\d{8}-[0-9A-F]{8}$", a.ReceiptNumber));

        // A second application by the same KvK is refused.
        var second = await metalClient.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(new StartApplicationRequest()), Ct);
        var duplicate = await second.AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
        Assert.Equal(metalApp.Id, duplicate.GetProperty("applicationId").GetString());

        // The ministry asks the care organisation for more information; it answers in time.
        var asked = await (await ministry.PostAsync($"api/applications/{careApp.Id}/information-requests",
            HttpAssertions.Json(new RequestInformationRequest("Please add the works council's letter of support.", DateTimeOffset.UtcNow.AddDays(14))), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("InformationRequested", asked.Status);
        var requestId = asked.InformationRequests.Single().Id;
        var answered = await (await careClient.PostAsync($"api/applications/{careApp.Id}/information-requests/{requestId}/answer",
            HttpAssertions.Json(new InformationAnswerRequest("The works council supports the plan; letter attached to the project plan.")), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Submitted", answered.Status);

        // The round closes; the late draft can no longer be submitted.
        var closed = await (await ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Accepted);
        Assert.Equal("Closed", closed.Status);
        var lateSubmit = await lateClient.PostAsync($"api/applications/{lateDraft.Id}/submit", null, Ct);
        var refusal = await lateSubmit.AssertProblemAsync(HttpStatusCode.Conflict, "round-not-open");
        Assert.Contains("closed", refusal.GetProperty("detail").GetString());

        // The pool cannot freeze before every submitted application has its eligibility decided: the freeze, computed in
        // the background, is refused, and the round is Closed again with the reason.
        using var staff = api.As(Roles.Ministry, waitForOperations: false);
        var early = await (await staff.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct)).ReadRefusedOperationAsync(staff);
        Assert.Equal("an eligibility decision is still missing for 3 submitted applications", early.Refusal);
        await (await staff.PostAsync($"api/operations/{early.Id}/retry", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var refusedRound = await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>();
        Assert.Equal(("Closed", early.Refusal), (refusedRound.Status, refusedRound.PoolFreezeRefusal));

        await Decide(ministry, metalApp.Id, new DecideEligibilityRequest("eligible"));
        await Decide(ministry, careApp.Id, new DecideEligibilityRequest("eligible"));
        await Decide(ministry, consultancyApp.Id, new DecideEligibilityRequest("ineligible", ["not-an-innovation-project"], "A reorganisation plan without employee involvement."));

        var freeze = await ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct);
        Assert.Equal("PoolFreezing", (await freeze.ReadAsync<RoundResponse>(HttpStatusCode.Accepted)).Status);
        var again = await ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct);
        Assert.Equal((HttpStatusCode.Accepted, freeze.Headers.Location), (again.StatusCode, again.Headers.Location));
        Assert.NotEqual(early.Id, freeze.Headers.Location!.OriginalString["/api/operations/".Length..]);
        var frozen = await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>();
        Assert.Equal(("PoolFrozen", null), (frozen.Status, frozen.PoolFreezeRefusal));
        Assert.Equal(2, frozen.PoolSize);
        var pool = await (await ministry.GetAsync($"api/rounds/{round.Id}/pool", Ct)).ReadAsync<PoolResponse>();
        Assert.Equal(new[] { careApp.Id, metalApp.Id }.Order(StringComparer.Ordinal), pool.Entries.Select(e => e.ApplicationId).Order(StringComparer.Ordinal));
        Assert.All(pool.Entries, e => Assert.Matches("^P-[0-9a-f]{10}$", e.Id));
        Assert.Equal(frozen.PoolHash, pool.PoolHash);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(pool.Canonical))), pool.PoolHash);
        var metalInPool = await (await metalClient.GetAsync($"api/applications/{metalApp.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("InPool", metalInPool.Status);
        Assert.Equal(pool.Entries.Single(e => e.ApplicationId == metalApp.Id).Id, metalInPool.PoolId);
        Assert.Contains($"{{\"id\":\"{metalInPool.PoolId}\",\"stratum\":\"all\",\"amount\":9500000}}", pool.Canonical);
        Assert.DoesNotContain(metal, pool.Canonical);

        // Every expected mail arrives once, in the applicant's language.
        await api.FireAsync(nameof(RelayOutbox));
        var metalMail = await MailFor(metal, 3);
        Assert.Equal(
            [$"Ontvangstbevestiging aanvraag {metalApp.ReceiptNumber}", $"Het tijdvak {round.Name} is gesloten", $"Uw aanvraag {metalApp.ReceiptNumber} is ontvankelijk"],
            metalMail.Select(m => m.Subject));
        Assert.Contains("Zelfroosteren in de productie", metalMail[0].TextBody);
        var careMail = await MailFor(care, 4);
        Assert.Equal(
            [$"Receipt of your application {careApp.ReceiptNumber}", $"Request for additional information on application {careApp.ReceiptNumber}",
             $"The round {round.Name} has closed", $"Your application {careApp.ReceiptNumber} is eligible"],
            careMail.Select(m => m.Subject));
        Assert.Contains("works council's letter of support", careMail[1].TextBody);
        var consultancyMail = await MailFor(consultancy, 3);
        Assert.Contains("Het project is geen innovatieproject in de zin van de regeling.", consultancyMail[2].TextBody);
        var lateMail = await MailFor(late, 1);
        Assert.Contains("niet ingediend", lateMail[0].TextBody);

        await api.FireAsync(nameof(RelayOutbox));
        foreach (var kvk in new[] { metal, care, consultancy, late })
        {
            var all = api.Smtp.Messages.Where(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk))).ToList();
            Assert.Equal(all.Count, all.Select(m => m.MessageId).Distinct().Count());
        }
    }

    /// <summary>Message ids are {aggregate}.{audit sequence}.{index}: the sequence orders one application's mail.</summary>
    private static long CommitSequence(MimeMessage message) => long.Parse(message.MessageId!.Split('@')[0].Split('.')[^2], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task Decide(HttpClient ministry, string applicationId, DecideEligibilityRequest decision)
    {
        var response = await ministry.PostAsync($"api/applications/{applicationId}/eligibility", HttpAssertions.Json(decision), Ct);
        Assert.Equal(decision.Outcome == "eligible" ? "Eligible" : "Ineligible", (await response.ReadAsync<ApplicationResponse>()).Status);
    }

    /// <summary>Waits for exactly the expected number of messages to this organisation, in the order they were committed.</summary>
    private async Task<List<MimeMessage>> MailFor(string kvk, int expected)
    {
        var address = GrantBuilders.ContactEmail(kvk);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var messages = api.Smtp.Messages.Where(m => m.To.Mailboxes.Any(b => b.Address == address)).OrderBy(CommitSequence).ToList();
            if (messages.Count >= expected || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, messages.Count);
                return messages;
            }

            await Task.Delay(50, Ct);
        }
    }
}

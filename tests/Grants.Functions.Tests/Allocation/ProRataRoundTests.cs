using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Domain.Allocation;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Allocation;

/// <summary>
/// Pro rata (docs/allocation.md) through the API from opening to awards: no seeds, nothing drawn; every viable request cut by
/// the same fraction, the smallest dropped when its share would fall below the minimum grant; the shares published,
/// verified, reserved in the ledger, told, and the most each can be awarded; no top-up, and no experimental evaluation.
/// </summary>
public sealed class ProRataRoundTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryViableRequestIsCutByTheSameFractionAndAwardedNoMoreThanItsShare()
    {
        // €105,000 asked of €80,000, minimum grant €10,000: the €5,000 request's share (€3,809.52) is not viable, so it is
        // dropped, and the other €100,000 are cut to 80%: €32,000, €24,000 and €24,000, the whole budget.
        var round = await api.OpenRoundAsync(adjust: c => c with
        {
            BudgetCeilingCents = 80_000_00,
            MaxPerApplicationCents = 50_000_00,
            Allocation = new AllocationDesignDto(Method: AllocationMethod.ProRata, MinimumGrantCents: 10_000_00),
        });
        Assert.Equal((AllocationMethod.ProRata, "stop", 10_000_00L), (round.Configuration.Allocation!.Method, round.Configuration.Allocation.Rule, round.Configuration.Allocation.MinimumGrantCents));
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await (await ministry.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct))
            .AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");

        var applications = new List<ApplicationResponse>();
        foreach (var amount in new long[] { 40_000_00, 30_000_00, 30_000_00, 5_000_00 })
        {
            using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
            applications.Add(await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: amount)));
        }

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        foreach (var application in applications)
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));
        }

        await (await ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Accepted);
        await (await ministry.PostAsync($"api/rounds/{round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(ministry);

        var protocol = LotteryProtocol.FromJson(await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct));
        var verification = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(verification.Verified, verification.FirstMismatch);
        var unit = (await (await ministry.GetAsync($"api/rounds/{round.Id}/pool", Ct)).ReadAsync<PoolResponse>()).Entries.ToDictionary(e => e.ApplicationId, e => e.Id);
        var share = protocol.Shares!.ToDictionary(s => s.Id, s => s.Granted);
        var chance = protocol.Probabilities.ToDictionary(p => p.Id, p => p.P);

        Assert.Equal((LotteryProtocol.MethodSchemaVersion, AllocationMethod.ProRata, 10_000_00L, false), (protocol.SchemaVersion, protocol.Design.Method, protocol.Design.MinimumGrant, protocol.DrawNeeded));
        Assert.Empty(protocol.Seeds);
        Assert.Equal(new long[] { 32_000_00, 24_000_00, 24_000_00, 0 }, applications.Select(a => share[unit[a.Id]]));
        Assert.Equal(new[] { 1.0, 1.0, 1.0, 0.0 }, applications.Select(a => chance[unit[a.Id]]));
        Assert.Equal([unit[applications[3].Id]], protocol.Excluded);
        Assert.Empty(protocol.Reserve);
        Assert.Equal("every request kept is cut to 80.000% (the budget of 8000000 cents over the 10000000 cents they ask), rounded down to the cent; "
            + "1 request is turned down, as its share would fall below the minimum grant of 1000000 cents", Assert.Single(protocol.Lines!).Why);

        // Each is told its share, and the ledger reserves exactly the shares: the whole budget.
        var scenario = new LotteryScenario(api);
        var dropped = await scenario.Read(ministry, applications[3].Id);
        Assert.Equal(("NotSelected", "turned-down", (long?)null), (dropped.Status, dropped.Outcome!.Result, dropped.Outcome.GrantedCents));
        var first = await scenario.Read(ministry, applications[0].Id);
        Assert.Equal(("Selected", "selected", (int?)null, (long?)32_000_00), (first.Status, first.Outcome!.Result, first.Outcome.Rank, first.Outcome.GrantedCents));
        var budget = await (await ministry.GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((80_000_00L, 0L), (budget.ReservedCents, budget.AvailableCents));

        await api.FireAsync(nameof(RelayOutbox));
        var granted = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(first.OrganisationKvk)) && m.Subject?.StartsWith("Uitslag verdeling", StringComparison.Ordinal) == true);
        Assert.Equal($"Uitslag verdeling {round.Name}: € 32.000 beschikbaar voor uw aanvraag {first.ReceiptNumber}", granted.Subject);
        Assert.Contains("is € 32.000 beschikbaar van de gevraagde € 40.000", granted.TextBody, StringComparison.Ordinal);
        var refused = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(dropped.OrganisationKvk)) && m.Subject?.StartsWith("Uitslag verdeling", StringComparison.Ordinal) == true);
        Assert.Contains("zou lager zijn dan € 10.000, het minimum waarmee een project in deze regeling uitvoerbaar is", refused.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("loting", refused.TextBody, StringComparison.Ordinal);
        Assert.Contains("binnen zes weken na de datum van deze brief bezwaar maken", refused.TextBody, StringComparison.Ordinal);

        // The one turned down objects; the objection is dismissed, and the turn-down stands.
        using (var objecting = api.As(Roles.Applicant, organisation: dropped.OrganisationKvk))
        {
            var lodged = await (await objecting.PostAsync($"api/applications/{dropped.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("Our project can be done with less.")), Ct)).ReadAsync<ApplicationResponse>();
            Assert.Equal("UnderObjection", lodged.Status);
        }

        var dismissed = await (await ministry.PostAsync($"api/applications/{dropped.Id}/objection/decision",
            HttpAssertions.Json(new DecideObjectionRequest(false, "The minimum grant applies to every applicant alike.")), Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(("NotSelected", "turned-down"), (dismissed.Status, dismissed.Outcome!.Result));
        await api.FireAsync(nameof(RelayOutbox));
        var acknowledged = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(dropped.OrganisationKvk)) && m.Subject?.StartsWith("Ontvangstbevestiging bezwaar", StringComparison.Ordinal) == true);
        Assert.Contains("bij de verdeling van het budget niet in aanmerking komt", acknowledged.TextBody, StringComparison.Ordinal);
        var decided = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(dropped.OrganisationKvk)) && m.Subject?.EndsWith("ongegrond", StringComparison.Ordinal) == true);
        Assert.Contains("De uitslag van de verdeling van uw aanvraag blijft in stand", decided.TextBody, StringComparison.Ordinal);

        // No top-up: it would change every share. No experimental evaluation: nothing was drawn.
        await (await ministry.PostAsync($"api/rounds/{round.Id}/budget/top-ups", HttpAssertions.Json(new TopUpRequest(20_000_00, "Extra funds")), Ct))
            .AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var evaluation = await (await ministry.GetAsync($"api/rounds/{round.Id}/evaluation", Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var detail = evaluation.GetProperty("detail").GetString()!;
        Assert.Contains("pro rata draws nothing", detail, StringComparison.Ordinal);
        // What it would take: what a lottery of this very pool would have randomised, and the effect it could detect.
        Assert.Contains("In this pool of 4 (α 0.05, power 0.8, baseline 50%, everyone responding; GET …/evaluation/power): lottery would randomise 4 (3 funded, 1 not), too few to detect any difference in a proportion;", detail, StringComparison.Ordinal);
        Assert.Equal(AllocationMethod.All, evaluation.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("method").GetString()));

        // To the awards: each assessed, and awarded at most its share.
        foreach (var application in applications.Take(3))
        {
            await scenario.AssessAsync(round.Id, application.Id);
            var tooMuch = await ministry.PostAsync($"api/applications/{application.Id}/award", HttpAssertions.Json(new AwardRequest(share[unit[application.Id]] + 1)), Ct);
            var problem = await tooMuch.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
            Assert.Contains("pro rata share", problem.GetProperty("errors").GetProperty("amountCents")[0].GetString(), StringComparison.Ordinal);
            var awarded = await (await ministry.PostAsync($"api/applications/{application.Id}/award", HttpAssertions.Json(new AwardRequest(share[unit[application.Id]])), Ct)).ReadAsync<ApplicationResponse>();
            if (awarded.Status == "AwardProposed")
            {
                using var approver = api.As(Roles.Ministry, subject: "teamleider");
                await LotteryScenario.Ok(approver.PostAsync($"api/applications/{application.Id}/award/approve", null, Ct));
            }

            Assert.Equal("Awarded", (await scenario.Read(ministry, application.Id)).Status);
        }

        var after = await (await ministry.GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((80_000_00L, 0L, 0L), (after.CommittedCents, after.ReservedCents, after.AvailableCents));
    }
}

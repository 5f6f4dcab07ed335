using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Contracts.Vouchers;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;
using Grants.Functions.Vouchers;

namespace Grants.Functions.Tests.Vouchers;

/// <summary>A voucher round end to end over HTTP on Azurite: issue, refusal of an ineligible supplier, one winner of two simultaneous claims, payment through the ledger, an expiry that offers the next reserve entry, a disputed claim and a returned voucher.</summary>
public sealed partial class VoucherRoundTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VouchersAreIssuedRedeemedOnceByEligibleSuppliersPaidAndOfferedOnWhenTheyExpireOrAreReturned()
    {
        // A voucher round: €7,500 vouchers, budget for two, four applicants.
        HttpClient Ministry() => api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var scheme = await (await Ministry().PostAsync("api/schemes", HttpAssertions.Json(new CreateSchemeRequest($"Innovation vouchers {Guid.NewGuid():N}"[..28], "Voucher")), Ct)).ReadAsync<SchemeResponse>(HttpStatusCode.Created);
        var configuration = GrantBuilders.Esf2008(api.Clock) with
        {
            Instrument = "Voucher", VoucherValueCents = 7_500_00, MaxPerApplicationCents = 7_500_00, BudgetCeilingCents = 15_000_00,
            MinimumControlGroup = 0, Vouchers = new VoucherRulesDto(365, ConsultanciesAllowed: true, MinimumConsultancyReferences: 2),
        };
        var round = await (await Ministry().PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest($"Vouchers {Guid.NewGuid():N}"[..16], configuration)), Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Created);
        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/open", null, Ct));
        var seed = RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct));
        var holders = new List<(string Kvk, ApplicationResponse Application)>();
        for (var i = 0; i < 4; i++)
        {
            var kvk = GrantBuilders.NewKvk();
            using var applicant = await api.RegisteredApplicantAsync(kvk);
            holders.Add((kvk, await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: 7_500_00))));
        }

        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        foreach (var (_, application) in holders)
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct));
        }

        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct));
        await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/lottery/reveals", HttpAssertions.Json(new RevealSeedRequest(Convert.ToHexStringLower(seed))), Ct));
        var status = await (await Ministry().PostAsync($"api/rounds/{round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(Ministry());
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(Ministry().PostAsync($"api/rounds/{round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("four units")), Ct));
        }

        var drawn = new List<(string Kvk, ApplicationResponse Application)>();
        foreach (var (kvk, application) in holders)
        {
            drawn.Add((kvk, await (await Ministry().GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()));
        }

        var selected = drawn.Where(d => d.Application.Status == "Selected").ToList();
        var reserve = drawn.Where(d => d.Application.Status == "Reserve").OrderBy(d => d.Application.Outcome!.ReservePosition).ToList();
        Assert.Equal(2, selected.Count);

        // Awarding issues each winner a voucher; its code arrives by mail and is not stored.
        foreach (var (_, application) in selected)
        {
            Assert.Equal("Awarded", (await (await Ministry().PostAsync($"api/applications/{application.Id}/award", HttpAssertions.Json(new AwardRequest(7_500_00)), Ct)).ReadAsync<ApplicationResponse>()).Status);
        }

        await api.FireAsync(nameof(RelayOutbox));
        var (first, second) = (selected[0], selected[1]);
        var code = await CodeForAsync(first.Kvk);
        HttpClient Holder(string kvk) => api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");
        var voucher = await (await Holder(first.Kvk).GetAsync($"api/applications/{first.Application.Id}/voucher", Ct)).ReadAsync<VoucherResponse>();
        Assert.Equal(("Issued", 7_500_00L), (voucher.Status, voucher.ValueCents));
        Assert.Equal(HttpStatusCode.NotFound, (await Holder(second.Kvk).GetAsync($"api/applications/{first.Application.Id}/voucher", Ct)).StatusCode);
        var table = await api.Storage().TableAsync(Grants.Functions.Platform.Storage.TableNames.Aggregates, Ct);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == voucher.Id, cancellationToken: Ct))
        {
            // State and audit rows hold the code's hash only; the delivered mail's body is erased from the outbox.
            Assert.DoesNotContain(Normalise(code), string.Join(' ', row.Select(p => p.Value?.ToString())).Replace("-", string.Empty, StringComparison.Ordinal));
        }

        // Suppliers: two knowledge institutions, and a consultancy with one reference where the round asks two.
        var (tu, lab, consultancy) = (GrantBuilders.NewKvk(), GrantBuilders.NewKvk(), GrantBuilders.NewKvk());
        HttpClient Supplier(string kvk) => api.As(Roles.Supplier, organisation: kvk, subject: $"supplier-{kvk}");
        await (await Supplier(tu).PostAsync("api/suppliers", HttpAssertions.Json(new RegisterSupplierRequest("TU Delft", "knowledge-institution")), Ct)).ReadAsync<SupplierResponse>(HttpStatusCode.Created);
        await (await Supplier(lab).PostAsync("api/suppliers", HttpAssertions.Json(new RegisterSupplierRequest("TNO", "knowledge-institution")), Ct)).ReadAsync<SupplierResponse>(HttpStatusCode.Created);
        await (await Supplier(consultancy).PostAsync("api/suppliers", HttpAssertions.Json(new RegisterSupplierRequest("Advies BV", "consultancy", [new("Klant BV", "Lean in de productie", 2025)])), Ct)).ReadAsync<SupplierResponse>(HttpStatusCode.Created);

        await (await Supplier(tu).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest(code, 7_500_00)), Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden"); // not verified yet
        foreach (var kvk in new[] { tu, lab, consultancy })
        {
            Assert.NotNull((await (await Ministry().PostAsync($"api/suppliers/{kvk}/verification", null, Ct)).ReadAsync<SupplierResponse>()).VerifiedAt);
        }

        var refused = await (await Supplier(consultancy).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest(code, 7_500_00)), Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("at least 2 references", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await Supplier(GrantBuilders.NewKvk()).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest(code, 7_500_00)), Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await Supplier(tu).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest("AAAA-BBBB-CCCC-DDDD", 7_500_00)), Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        // A code's look-up is never trusted alone: one that names this voucher for another code (left by a
        // superseded issue attempt) finds nothing.
        await new Grants.Functions.Platform.Storage.LookupStore(api.Storage()).PutAsync(VoucherStore.CodeLookup, Grants.Domain.Vouchers.Voucher.HashCode("EEEE-FFFF-GGGG-HHHH"), voucher.Id, Ct);
        await (await Supplier(tu).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest("EEEE-FFFF-GGGG-HHHH", 7_500_00)), Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal("Issued", (await (await Holder(first.Kvk).GetAsync($"api/applications/{first.Application.Id}/voucher", Ct)).ReadAsync<VoucherResponse>()).Status);

        // Two eligible suppliers claim the same voucher at the same moment: exactly one wins.
        var claims = await Task.WhenAll(
            Supplier(tu).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest(code.ToLowerInvariant(), 7_000_00)), Ct),
            Supplier(lab).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest(code, 7_000_00)), Ct));
        Assert.Single(claims, c => c.StatusCode == HttpStatusCode.OK);
        Assert.Single(claims, c => c.StatusCode == HttpStatusCode.Conflict);
        var winner = claims[0].StatusCode == HttpStatusCode.OK ? tu : lab;

        // The winner's invoice, the holder's confirmation, the ministry's payment through the ledger.
        var invoice = new ByteArrayContent(TestPdf.Create(20_000));
        invoice.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        await (await Holder(first.Kvk).PostAsync($"api/vouchers/{voucher.Id}/confirm", null, Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        await LotteryScenario.Ok(Supplier(winner).PutAsync($"api/vouchers/{voucher.Id}/invoice", invoice, Ct));
        await (await Holder(second.Kvk).PostAsync($"api/vouchers/{voucher.Id}/confirm", null, Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await LotteryScenario.Ok(Holder(first.Kvk).PostAsync($"api/vouchers/{voucher.Id}/confirm", null, Ct));
        var paid = await (await Ministry().PostAsync($"api/vouchers/{voucher.Id}/pay", null, Ct)).ReadAsync<VoucherResponse>();
        Assert.Equal(("Paid", winner, 7_000_00L), (paid.Status, paid.Claim!.SupplierKvk, paid.Claim.AmountCents));
        var budget = await (await Ministry().GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(7_000_00, budget.PaidCents);
        Assert.Equal(7_500_00, budget.CommittedCents); // the second voucher
        Assert.Equal(budget.CeilingCents, budget.AvailableCents + budget.ReservedCents + budget.CommittedCents + budget.PaidCents);

        // A voucher award has no acceptance step: answering is refused, and the acceptance lapse leaves it alone.
        await (await Holder(second.Kvk).PostAsync($"api/applications/{second.Application.Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(false)), Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        api.Advance(TimeSpan.FromDays(60));
        await api.FireAsync(nameof(Grants.Functions.Decisions.LapseAwards));
        Assert.Equal("Awarded", (await (await Ministry().GetAsync($"api/applications/{second.Application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Status);
        Assert.Equal("Issued", (await (await Holder(second.Kvk).GetAsync($"api/applications/{second.Application.Id}/voucher", Ct)).ReadAsync<VoucherResponse>()).Status);

        // A year on, the unused second voucher expires; its value goes to the first on the reserve list.
        api.Advance(TimeSpan.FromDays(306));
        await api.FireAsync(nameof(ExpireVouchers));
        var expired = await (await Holder(second.Kvk).GetAsync($"api/applications/{second.Application.Id}/voucher", Ct)).ReadAsync<VoucherResponse>();
        Assert.Equal("Expired", expired.Status);
        var next = await (await Ministry().GetAsync($"api/applications/{reserve[0].Application.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Selected", next.Status);
        var after = await (await Ministry().GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(0, after.CommittedCents);
        Assert.Equal(after.CeilingCents, after.AvailableCents + after.ReservedCents + after.CommittedCents + after.PaidCents);

        // The nightly run repeats releases of ended vouchers harmlessly: nothing moves a second time.
        await api.FireAsync(nameof(ExpireVouchers));
        var again = await (await Ministry().GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((after.ReservedCents, after.CommittedCents, after.PaidCents, after.Entries.Count), (again.ReservedCents, again.CommittedCents, again.PaidCents, again.Entries.Count));
        var monitoring = await (await Ministry().GetAsync($"api/rounds/{round.Id}/monitoring", Ct)).ReadAsync<Grants.Contracts.Monitoring.MonitoringResponse>();
        Assert.True(monitoring.Budget.Reconciles);
        Assert.Equal((2, 1, 1, 7_000_00L), (monitoring.Vouchers.Issued, monitoring.Vouchers.Redeemed, monitoring.Vouchers.Expired, monitoring.Vouchers.PaidCents));

        // Vouchers are not assessed: whoever the reserve list reaches is awarded one without a committee.
        Assert.Equal("Awarded", (await (await Ministry().PostAsync($"api/applications/{next.Id}/award", HttpAssertions.Json(new AwardRequest(7_500_00)), Ct)).ReadAsync<ApplicationResponse>()).Status);

        // Its holder disputes a supplier's claim, which frees the voucher again; then returns the voucher it
        // will not use, whose value goes on down the reserve list.
        await api.FireAsync(nameof(RelayOutbox));
        var nextHolder = Holder(reserve[0].Kvk);
        var nextVoucher = await (await nextHolder.GetAsync($"api/applications/{next.Id}/voucher", Ct)).ReadAsync<VoucherResponse>();
        var claimed = await (await Supplier(lab).PostAsync("api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest(await CodeForAsync(reserve[0].Kvk), 5_000_00)), Ct)).ReadAsync<VoucherResponse>();
        Assert.Equal(("Claimed", lab), (claimed.Status, claimed.Claim!.SupplierKvk));
        await (await Holder(first.Kvk).PostAsync($"api/vouchers/{nextVoucher.Id}/dispute", null, Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var disputed = await (await nextHolder.PostAsync($"api/vouchers/{nextVoucher.Id}/dispute", null, Ct)).ReadAsync<VoucherResponse>();
        Assert.Equal("Issued", disputed.Status);
        Assert.Null(disputed.Claim);
        var returned = await (await nextHolder.PostAsync($"api/vouchers/{nextVoucher.Id}/return", null, Ct)).ReadAsync<VoucherResponse>();
        Assert.Equal("Returned", returned.Status);
        await (await nextHolder.PostAsync($"api/vouchers/{nextVoucher.Id}/return", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal("Selected", (await (await Ministry().GetAsync($"api/applications/{reserve[1].Application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Status);
        var afterReturn = await (await Ministry().GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(0, afterReturn.CommittedCents);
        Assert.Equal(afterReturn.CeilingCents, afterReturn.AvailableCents + afterReturn.ReservedCents + afterReturn.CommittedCents + afterReturn.PaidCents);
    }

    private async Task<string> CodeForAsync(string kvk)
    {
        var mail = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == GrantBuilders.ContactEmail(kvk) && MailText.VoucherCode().IsMatch(m.TextBody ?? string.Empty));
        return MailText.VoucherCode().Match(mail.TextBody!).Value;
    }

    private static string Normalise(string code) => code.Replace("-", string.Empty, StringComparison.Ordinal);
}

using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Audit;
using Grants.Contracts.Execution;
using Grants.Contracts.Lottery;
using Grants.Contracts.Organisations;
using Grants.Contracts.Vouchers;
using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Auditing;
using Grants.Domain.Execution;
using Grants.Domain.Vouchers;
using Grants.Functions.Assessments;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Retention;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Vouchers;

namespace Grants.Functions.Tests.Retention;

/// <summary>The nightly retention run, on a clock moved years ahead.</summary>
public sealed class RetentionTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RetentionScenario Scenario => new(api, api.Advance);

    [Fact]
    public async Task AFileIdleForSevenYearsLosesItsPersonalDataAndKeepsAVerifiableSkeleton()
    {
        // A withdrawn application with an adviser, two uploaded files, a receipt and a withdrawal reason.
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var content = GrantBuilders.Content() with { Adviser = new AdviserDto("Subsidie Advies BV", "Johanna de Vries", "johanna.devries@advies.example") };
        var submitted = await applicant.SubmittedAsync(round.Id, content);
        await Grants.Functions.Tests.Lottery.LotteryScenario.Ok(applicant.PostAsync($"api/applications/{submitted.Id}/withdraw", HttpAssertions.Json(new WithdrawApplicationRequest("Pieter Bakker, our project lead, has left.")), Ct));
        await api.FireAsync(nameof(RelayOutbox));
        using var ministry = api.As(Roles.Ministry);
        var before = await (await ministry.GetAsync($"api/applications/{submitted.Id}", Ct)).ReadAsync<ApplicationResponse>();
        var personal = new[] { GrantBuilders.ContactEmail(kvk), "Johanna de Vries", "johanna.devries@advies.example", "projectplan.pdf", "begroting.pdf", "Pieter Bakker" };
        var original = await RowsTextAsync(submitted.Id);
        Assert.All(personal, p => Assert.Contains(p, original, StringComparison.Ordinal));
        // Each audit payload carries a random salt: the payload hashes that stay after erasure confirm no guess of what it held.
        using var firstAuditor = api.As(Roles.Auditor);
        var written = await (await firstAuditor.GetAsync($"api/audit/{submitted.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.All(written.Events.Where(e => e.Payload is not ("null" or "{}")), e => Assert.Matches("^\\{\"salt\":\"[0-9a-f]{32}\",", e.Payload));

        // A day short of seven years: nothing happens. Counted in calendar years from now, as the run counts:
        // seven years hold one or two leap days depending on where earlier tests left this host's clock.
        var now = api.Clock.GetUtcNow();
        api.Advance(now.AddYears(7) - now - TimeSpan.FromDays(1));
        await api.FireAsync(nameof(ApplyRetention));
        Assert.Contains("Johanna de Vries", await RowsTextAsync(submitted.Id), StringComparison.Ordinal);

        // Past it: the personal data goes, from the record, its audit payloads, its mail and its documents.
        api.Advance(TimeSpan.FromDays(2));
        await api.FireAsync(nameof(ApplyRetention));
        var text = await RowsTextAsync(submitted.Id);
        Assert.All(personal, p => Assert.DoesNotContain(p, text, StringComparison.Ordinal));
        using var staff = api.As(Roles.Ministry); // a token of today
        var after = await (await staff.GetAsync($"api/applications/{submitted.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal((before.Status, before.ReceiptNumber, before.OrganisationKvk, before.Content.RequestedAmountCents), (after.Status, after.ReceiptNumber, after.OrganisationKvk, after.Content.RequestedAmountCents));
        Assert.Equal(["budget.pdf", "project-plan.pdf"], after.Attachments.Select(a => a.FileName).Order());
        Assert.Equal(before.Attachments.Select(a => a.Sha256).Order(), after.Attachments.Select(a => a.Sha256).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"api/applications/{submitted.Id}/attachments/project-plan", Ct)).StatusCode);

        // The chain still verifies; the erasure is an event naming what it emptied.
        using var auditor = api.As(Roles.Auditor);
        var verification = await (await auditor.GetAsync($"api/audit/{submitted.Id}/verify", Ct)).ReadAsync<AuditVerificationResponse>();
        Assert.True(verification.Intact, verification.Problem);
        var trail = await (await auditor.GetAsync($"api/audit/{submitted.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Equal([AuditChain.ErasureEventType, "PersonalDataErasureCompleted"], trail.Events.TakeLast(2).Select(e => e.Type));
        Assert.All(trail.Events.TakeLast(2), e => Assert.Equal(RetentionSweep.Actor, e.Actor));
        Assert.All(trail.Events.SkipLast(2), e => Assert.Equal(AuditChain.ErasedPayload, e.Payload));
        Assert.All(trail.Events, e => Assert.Matches("^[0-9a-f]{64}$", e.PayloadHash));
        Assert.Equal(written.Events.Select(e => e.PayloadHash), trail.Events.Take(written.Events.Count).Select(e => e.PayloadHash));

        // Running again changes nothing.
        await api.FireAsync(nameof(ApplyRetention));
        var again = await (await auditor.GetAsync($"api/audit/{submitted.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Equal(trail.Events.Count, again.Events.Count);

        // Stored Idempotency-Key responses (they repeat the requests' answers) are gone too.
        var idempotency = await api.Storage().TableAsync(TableNames.Idempotency, Ct);
        Assert.Empty(await idempotency.QueryAsync<Azure.Data.Tables.TableEntity>(cancellationToken: Ct).ToListAsync(Ct));
    }

    /// <summary>
    /// A response remembered under an Idempotency-Key is forgotten 30 days after the key was first used, found by its
    /// note (docs/decisions/0018): sent again after that, the request runs afresh; a younger one is still answered from
    /// memory, word for word.
    /// </summary>
    [Fact]
    public async Task ARememberedResponseIsForgottenThroughItsNoteAfterThirtyDaysAndAYoungerOneIsKept()
    {
        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        using var notary = api.As(Roles.Notary, subject: "notaris");
        async Task<HttpResponseMessage> CommitAsync(HttpClient client, string key, byte seed)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/rounds/{round.Id}/lottery/commitments")
            {
                Content = HttpAssertions.Json(new CommitSeedRequest(Grants.Domain.Lottery.LotteryDraw.Commitment(Enumerable.Repeat(seed, 32).ToArray()))),
            };
            request.Headers.Add(Grants.Functions.Platform.Http.IdempotentRequests.HeaderName, key);
            return await client.SendAsync(request, Ct);
        }

        var (oldKey, youngKey) = ($"old-{Guid.NewGuid():N}", $"young-{Guid.NewGuid():N}");
        var old = await CommitAsync(ministry, oldKey, 1);
        Assert.True(old.IsSuccessStatusCode);
        api.Advance(TimeSpan.FromDays(29));
        var young = await CommitAsync(notary, youngKey, 2);
        var youngBody = await young.Content.ReadAsStringAsync(Ct);
        api.Advance(TimeSpan.FromDays(2));

        await api.FireAsync(nameof(ApplyRetention));

        // Forgotten: the commitment runs again, and is refused as made already.
        await (await CommitAsync(ministry, oldKey, 1)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var replayed = await CommitAsync(notary, youngKey, 2);
        Assert.Equal((young.StatusCode, youngBody), (replayed.StatusCode, await replayed.Content.ReadAsStringAsync(Ct)));
    }

    /// <summary>
    /// A finished operation's status stays readable for <see cref="RetentionOptions.OperationDays"/> after it finished, then
    /// goes with every row of it; a younger one stays, and a second run finds nothing more to do.
    /// </summary>
    [Fact]
    public async Task TheStatusOfAFinishedOperationGoesNinetyDaysAfterItFinished()
    {
        // A client per step: its token would not outlive the months this test moves through.
        async Task<Uri> CloseAsync()
        {
            using var ministry = api.As(Roles.Ministry);
            var round = await api.OpenRoundAsync();
            var closed = await ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct);
            await closed.ReadFinishedOperationAsync(ministry);
            return closed.Headers.Location!;
        }

        async Task<HttpResponseMessage> ReadAsync(Uri operation)
        {
            using var ministry = api.As(Roles.Ministry);
            return await ministry.GetAsync(operation, Ct);
        }

        var old = await CloseAsync();
        api.Advance(TimeSpan.FromDays(89));
        var young = await CloseAsync();
        await api.FireAsync(nameof(ApplyRetention));
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(old)).StatusCode);

        api.Advance(TimeSpan.FromDays(2));
        await api.FireAsync(nameof(ApplyRetention));
        await api.FireAsync(nameof(ApplyRetention));

        await (await ReadAsync(old)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var operations = await api.Storage().TableAsync(TableNames.Operations, Ct);
        var id = old.OriginalString["/api/operations/".Length..];
        Assert.Empty(await operations.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {id}"), cancellationToken: Ct).ToListAsync(Ct));
        Assert.Equal("Succeeded", (await (await ReadAsync(young)).ReadAsync<Grants.Contracts.Operations.OperationResponse>()).Status);
    }

    [Fact]
    public async Task AnErasedPayloadThatNoErasureEventNamesBreaksTheChain()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var draft = await applicant.DraftAsync(round.Id);
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        await store.EraseHistoryAsync(draft.Id, [1], Ct);

        using var auditor = api.As(Roles.Auditor);
        var verification = await (await auditor.GetAsync($"api/audit/{draft.Id}/verify", Ct)).ReadAsync<AuditVerificationResponse>();
        Assert.False(verification.Intact);
        Assert.Equal(1, verification.FirstBrokenSequence);
        Assert.Contains("no erasure event", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGrantLosesItsReportsMailAndAuditPayloadsWithItsFileAndKeepsItsAmounts()
    {
        var file = await Scenario.SettledGrantAsync();
        await Scenario.FollowUpEndsAsync(file.DrawnAt);
        var contact = GrantBuilders.ContactEmail(file.Kvk);
        var before = (await Scenario.RecordAsync<GrantData>(file.GrantId)).State;
        var budget = await (await Scenario.Ministry().GetAsync($"api/rounds/{file.RoundId}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Contains(contact, await RowsTextAsync(file.GrantId), StringComparison.Ordinal); // the report reminder
        Assert.Equal(2, (await Scenario.BlobsAsync(file.GrantId)).Count);
        Assert.All(before.Reports, r => Assert.NotNull(r.Blob));

        api.Advance(RetentionScenario.PastRetention);
        await api.FireAsync(nameof(ApplyRetention));

        // Gone: the address and text of the grant's mail, its report PDFs, every audit payload.
        await AssertErasedAsync(file.GrantId, contact);

        // Kept: amounts, payments, report dates, hashes and costs, the settlement, the status; the ledger is untouched.
        var after = (await Scenario.RecordAsync<GrantData>(file.GrantId)).State;
        Assert.Equal((before.Status, before.AwardedCents, before.PaidCents, before.Settlement), (after.Status, after.AwardedCents, after.PaidCents, after.Settlement));
        Assert.Equal(before.Advances, after.Advances);
        Assert.Equal(before.Reports.Select(r => r with { Blob = null }), after.Reports);
        Assert.NotNull(after.PersonalDataErasedAt);
        var budgetAfter = await (await Scenario.Ministry().GetAsync($"api/rounds/{file.RoundId}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((budget.PaidCents, budget.CommittedCents, budget.Entries.Count), (budgetAfter.PaidCents, budgetAfter.CommittedCents, budgetAfter.Entries.Count));
        var grant = await (await Scenario.Ministry().GetAsync($"api/applications/{file.ApplicationId}/grant", Ct)).ReadAsync<GrantResponse>();
        Assert.Equal(("Settled", before.Settlement!.SettledCents), (grant.Status, grant.Settlement!.SettledCents));

        // The rest of the file went with it: the application's and its surveys' personal data, and the file says what it reached.
        var surveys = await Scenario.SurveysOfAsync(file.ApplicationId);
        Assert.Equal(2, surveys.Count);
        foreach (var id in surveys.Append(file.ApplicationId))
        {
            Assert.DoesNotContain(contact, await RowsTextAsync(id), StringComparison.Ordinal);
            Assert.True((await Scenario.ChainAsync(id)).IsIntact, id);
        }

        var completed = (await Scenario.TrailAsync(file.ApplicationId))[^1];
        Assert.Equal(RecordErasure.CompletedEventType, completed.Type);
        Assert.Contains("\"grant\":true", completed.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVoucherLosesItsInvoiceMailAndAuditPayloadsWithItsFileAndKeepsItsClaimAndPayment()
    {
        var file = await Scenario.PaidVoucherAsync();
        await Scenario.FollowUpEndsAsync(file.DrawnAt);
        var contact = GrantBuilders.ContactEmail(file.Kvk);
        var before = (await Scenario.RecordAsync<VoucherData>(file.VoucherId)).State;
        Assert.Contains(contact, await RowsTextAsync(file.VoucherId), StringComparison.Ordinal); // the mail with the code
        Assert.Single(await Scenario.BlobsAsync(file.VoucherId));
        Assert.NotNull(before.Claim!.InvoiceBlob);

        // Seven years after its supplier registered, while the file it redeemed is younger: the supplier keeps its references.
        var supplierId = SupplierStore.IdFor(file.SupplierKvk);
        Assert.Contains(RetentionScenario.SupplierClient, await RowsTextAsync(supplierId), StringComparison.Ordinal);
        var registered = (await Scenario.RecordAsync<SupplierData>(supplierId)).State.RegisteredAt;
        api.Advance(registered.AddYears(7).AddDays(3) - api.Clock.GetUtcNow());
        await api.FireAsync(nameof(ApplyRetention));
        Assert.Contains(RetentionScenario.SupplierClient, await RowsTextAsync(supplierId), StringComparison.Ordinal);
        Assert.Null(await Scenario.RetentionMarkAsync(supplierId));

        api.Advance(RetentionScenario.PastRetention);
        await api.FireAsync(nameof(ApplyRetention));

        await AssertErasedAsync(file.VoucherId, contact);

        // Every file it redeemed erased, the supplier loses its references' text; their number and years, its name and its verification stay.
        Assert.DoesNotContain(RetentionScenario.SupplierClient, await RowsTextAsync(supplierId), StringComparison.Ordinal);
        Assert.DoesNotContain("J. Jansen", await RowsTextAsync(supplierId), StringComparison.Ordinal);
        var supplier = (await Scenario.RecordAsync<SupplierData>(supplierId)).State;
        Assert.Equal((1, 2007, "TU Delft", true), (supplier.References.Count, supplier.References[0].Year, supplier.Name, supplier.VerifiedAt is not null));
        Assert.Equal(RecordErasure.Completed, await Scenario.RetentionMarkAsync(supplierId));
        var supplierChain = await Scenario.ChainAsync(supplierId);
        Assert.True(supplierChain.IsIntact, supplierChain.Problem);

        // The claim (supplier, amount, invoice hash), the payment and the status stay; only the invoice's pointer goes.
        var after = (await Scenario.RecordAsync<VoucherData>(file.VoucherId)).State;
        Assert.Equal(before.Claim with { InvoiceBlob = null }, after.Claim);
        Assert.Equal((VoucherStatus.Paid, before.ValueCents, before.PaidAt, before.IssuedAt), (after.Status, after.ValueCents, after.PaidAt, after.IssuedAt));
        Assert.Equal(file.SupplierKvk, after.Claim!.SupplierKvk);
        var voucher = await (await Scenario.Ministry().GetAsync($"api/applications/{file.ApplicationId}/voucher", Ct)).ReadAsync<VoucherResponse>();
        Assert.True(voucher.Claim!.InvoiceAttached);
        Assert.DoesNotContain(contact, await RowsTextAsync(file.ApplicationId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAssessmentLosesItsWrittenReasonsWithItsFileAndTheCommitteeItsConflictNotesOnceEveryFileOfTheRoundIsErased()
    {
        var file = await Scenario.AssessedAsync();
        await Scenario.FollowUpEndsAsync(file.DrawnAt);
        var assessmentId = $"assessment-{file.ApplicationId}";
        var committeeId = $"committee-{file.RoundId}";
        var before = (await Scenario.RecordAsync<AssessmentData>(assessmentId)).State;
        var committeeBefore = (await Scenario.RecordAsync<CommitteeData>(committeeId)).State;
        Assert.Contains(file.Justification, await RowsTextAsync(assessmentId), StringComparison.Ordinal);
        Assert.Contains(file.AdviceNote, await RowsTextAsync(assessmentId), StringComparison.Ordinal);
        Assert.Contains(file.ConflictNote, await RowsTextAsync(committeeId), StringComparison.Ordinal);

        // Seven years after the committee's last change, but not after the round's last surveys closed:
        // no file is dormant yet, so the committee keeps its notes however long it has been idle.
        api.Advance(RetentionScenario.PastRetention - TimeSpan.FromDays(2 * 365));
        await api.FireAsync(nameof(ApplyRetention));
        Assert.Contains(file.ConflictNote, await RowsTextAsync(committeeId), StringComparison.Ordinal);
        Assert.Contains(file.Justification, await RowsTextAsync(assessmentId), StringComparison.Ordinal);

        api.Advance(TimeSpan.FromDays(2 * 365));
        await api.FireAsync(nameof(ApplyRetention));

        // The assessment: its reasons are gone from the record and every audit payload; scores, members and the verdict stay.
        var rows = await RowsTextAsync(assessmentId);
        Assert.DoesNotContain(file.Justification, rows, StringComparison.Ordinal);
        Assert.DoesNotContain(file.AdviceNote, rows, StringComparison.Ordinal);
        var after = (await Scenario.RecordAsync<AssessmentData>(assessmentId)).State;
        Assert.Equal(before.Sheets.SelectMany(s => s.Scores.Select(x => (s.SheetId, s.Member, x.Criterion, x.Score))), after.Sheets.SelectMany(s => s.Scores.Select(x => (s.SheetId, s.Member, x.Criterion, x.Score))));
        Assert.All(after.Sheets.SelectMany(s => s.Scores), x => Assert.Equal(Application.Erased, x.Justification));
        Assert.Equal(before.Members, after.Members);
        Assert.Equal((before.Status, before.Advice!.Positive, before.Advice.Chair), (after.Status, after.Advice!.Positive, after.Advice.Chair));
        Assert.NotNull(after.PersonalDataErasedAt);
        Assert.True((await Scenario.ChainAsync(assessmentId)).IsIntact);
        Assert.All((await Scenario.TrailAsync(assessmentId)).Where(e => e.Type != AuditChain.ErasureEventType), e => Assert.Equal(AuditChain.ErasedPayload, e.Payload));
        Assert.Contains("\"assessment\":true", (await Scenario.TrailAsync(file.ApplicationId))[^1].Payload, StringComparison.Ordinal);

        // The committee, now that every file of its round is erased: the note goes; who declared a conflict with whom stays, and so does its constitution.
        Assert.DoesNotContain(file.ConflictNote, await RowsTextAsync(committeeId), StringComparison.Ordinal);
        var committee = await Scenario.RecordAsync<CommitteeData>(committeeId);
        Assert.Equal(committeeBefore.Conflicts.Select(c => c with { Note = Application.Erased }), committee.State.Conflicts);
        Assert.Equal(committeeBefore.Members.Append(committeeBefore.Chair), committee.State.Members.Append(committee.State.Chair));
        Assert.Equal(committeeBefore.Criteria, committee.State.Criteria);
        Assert.Equal(RecordErasure.Completed, await Scenario.RetentionMarkAsync(committeeId));
        Assert.True((await Scenario.ChainAsync(committeeId)).IsIntact);
        var trail = await Scenario.TrailAsync(committeeId);
        Assert.Equal(AuditChain.ErasedPayload, Assert.Single(trail, e => e.Type == CommitteeStore.ConflictDeclaredEvent).Payload);
        Assert.Contains(committeeBefore.Chair, Assert.Single(trail, e => e.Type == "CommitteeConstituted").Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrganisationLosesItsContactPersonOnlyWhenEveryFileOfItIsErasedAndMayRegisterAgain()
    {
        // Three organisations registered now: one applies once, one applies again six years on, one never applies.
        var round = await api.OpenRoundAsync();
        var (gone, active, unused) = (GrantBuilders.NewKvk(), GrantBuilders.NewKvk(), GrantBuilders.NewKvk());
        await Scenario.WithdrawnAsync(round.Id, gone);
        await Scenario.WithdrawnAsync(round.Id, active);
        (await api.RegisteredApplicantAsync(unused)).Dispose();
        api.Advance(TimeSpan.FromDays(6 * 365));
        var later = await api.OpenRoundAsync();
        using (var applicant = Scenario.Applicant(active))
        {
            await applicant.DraftAsync(later.Id);
        }
        foreach (var kvk in new[] { gone, active, unused })
        {
            Assert.Contains(GrantBuilders.ContactEmail(kvk), await RowsTextAsync(OrganisationStore.IdFor(kvk)), StringComparison.Ordinal);
        }

        api.Advance(RetentionScenario.PastRetention - TimeSpan.FromDays(6 * 365));
        await api.FireAsync(nameof(ApplyRetention));

        // Every file of the first is erased, the third has none: their contact person goes from the record and its audit payloads; the KvK number stays.
        foreach (var kvk in new[] { gone, unused })
        {
            var id = OrganisationStore.IdFor(kvk);
            var text = await RowsTextAsync(id);
            Assert.DoesNotContain(GrantBuilders.ContactEmail(kvk), text, StringComparison.Ordinal);
            Assert.DoesNotContain("P. Jansen", text, StringComparison.Ordinal);
            var organisation = await (await Scenario.Ministry().GetAsync($"api/organisations/{kvk}", Ct)).ReadAsync<OrganisationResponse>();
            Assert.Equal((kvk, $"Organisatie {kvk} BV", 0), (organisation.Kvk, organisation.LegalName, organisation.Representatives.Count));
            Assert.Equal(RecordErasure.Completed, await Scenario.RetentionMarkAsync(id));
            var chain = await Scenario.ChainAsync(id);
            Assert.True(chain.IsIntact, chain.Problem);
        }

        // The second has a file younger than the retention period: it keeps its contact person.
        var kept = await (await Scenario.Ministry().GetAsync($"api/organisations/{active}", Ct)).ReadAsync<OrganisationResponse>();
        Assert.Equal(("P. Jansen", GrantBuilders.ContactEmail(active)), (kept.Representatives.Single().Name, kept.Representatives.Single().Email));
        Assert.Null(await Scenario.RetentionMarkAsync(OrganisationStore.IdFor(active)));

        // To apply again, the erased organisation registers its contact person again.
        var now = await api.OpenRoundAsync();
        await (await Scenario.Applicant(gone).PostAsync($"api/rounds/{now.Id}/applications", HttpAssertions.Json(new StartApplicationRequest(GrantBuilders.Content())), Ct))
            .AssertProblemAsync(HttpStatusCode.Conflict, "organisation-not-registered");
        using var returning = await api.RegisteredApplicantAsync(gone);
        Assert.Equal(GrantBuilders.ContactEmail(gone), (await (await Scenario.Ministry().GetAsync($"api/organisations/{gone}", Ct)).ReadAsync<OrganisationResponse>()).Representatives.Single().Email);
        await returning.DraftAsync(now.Id);

        // Seven years on, its new contact person goes the same way; the erasure events name the early events again, and the chain verifies.
        api.Advance(RetentionScenario.PastRetention);
        await api.FireAsync(nameof(ApplyRetention));
        var again = await (await Scenario.Ministry().GetAsync($"api/organisations/{gone}", Ct)).ReadAsync<OrganisationResponse>();
        Assert.Empty(again.Representatives);
        var trail = await Scenario.TrailAsync(OrganisationStore.IdFor(gone));
        Assert.Equal(2, trail.Count(e => e.Type == AuditChain.ErasureEventType));
        Assert.All(trail.Where(e => e.Type is "OrganisationRegistered" or "OrganisationRegisteredAgain"), e => Assert.Equal(AuditChain.ErasedPayload, e.Payload));
        var verified = await Scenario.ChainAsync(OrganisationStore.IdFor(gone));
        Assert.True(verified.IsIntact, verified.Problem);
    }

    [Fact]
    public async Task AFileFinishedBeforeGrantsAndVouchersWereCoveredIsFinishedAgain()
    {
        var round = await api.OpenRoundAsync();
        var file = await Scenario.WithdrawnAsync(round.Id, GrantBuilders.NewKvk());
        api.Advance(RetentionScenario.PastRetention);
        await api.FireAsync(nameof(ApplyRetention));

        // As the earlier run left its files: marked "done", their grants and vouchers untouched.
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        await table.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(file.Id, AggregateStore.StateRowKey) { [AggregateStore.IndexColumn(RecordErasure.Index)] = "done" }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge, Ct);
        await api.FireAsync(nameof(ApplyRetention));

        Assert.Equal(RecordErasure.Completed, await Scenario.RetentionMarkAsync(file.Id));
        var trail = await Scenario.TrailAsync(file.Id);
        Assert.Equal(2, trail.Count(e => e.Type == RecordErasure.CompletedEventType));
        Assert.Single(trail, e => e.Type == AuditChain.ErasureEventType);
        Assert.True((await Scenario.ChainAsync(file.Id)).IsIntact);
    }

    private Task<string> RowsTextAsync(string id) => Scenario.RowsTextAsync(id);

    /// <summary>
    /// A record of an erased file: the contact address in none of its rows, its one mail emptied, its
    /// documents deleted, every earlier audit payload emptied by the retention run's erasure event that
    /// names them, and the chain intact.
    /// </summary>
    private async Task AssertErasedAsync(string id, string contact)
    {
        Assert.DoesNotContain(contact, await RowsTextAsync(id), StringComparison.Ordinal);
        var mail = Assert.Single(await Scenario.OutboxAsync(id));
        Assert.Equal((AggregateStore.ErasedAddress, "", ""), (mail.GetString("To"), mail.GetString("Subject"), mail.GetString("Body")));
        Assert.Empty(await Scenario.BlobsAsync(id));
        var trail = await Scenario.TrailAsync(id);
        Assert.Equal((AuditChain.ErasureEventType, RetentionSweep.Actor), (trail[^1].Type, trail[^1].Actor));
        Assert.Equal(trail.SkipLast(1).Select(e => e.Sequence), AuditChain.ErasedSequences(trail[^1]));
        Assert.All(trail.SkipLast(1), e => Assert.Equal(AuditChain.ErasedPayload, e.Payload));
        var chain = await Scenario.ChainAsync(id);
        Assert.True(chain.IsIntact, chain.Problem);
    }
}

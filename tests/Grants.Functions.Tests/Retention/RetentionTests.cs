using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Audit;
using Grants.Domain.Auditing;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Retention;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Retention;

/// <summary>The nightly retention run, on a clock moved years ahead.</summary>
public sealed class RetentionTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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

        // A day short of seven years: nothing happens.
        api.Advance(TimeSpan.FromDays(7 * 365 + 1));
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

        // Running again changes nothing.
        await api.FireAsync(nameof(ApplyRetention));
        var again = await (await auditor.GetAsync($"api/audit/{submitted.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Equal(trail.Events.Count, again.Events.Count);

        // Stored Idempotency-Key responses (they repeat the requests' answers) are gone too.
        var idempotency = await api.Storage().TableAsync(TableNames.Idempotency, Ct);
        Assert.Empty(await idempotency.QueryAsync<Azure.Data.Tables.TableEntity>(cancellationToken: Ct).ToListAsync(Ct));
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

    /// <summary>Every value in every row of the application's partition, as one text.</summary>
    private async Task<string> RowsTextAsync(string applicationId)
    {
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var rows = await table.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == applicationId, cancellationToken: Ct).ToListAsync(Ct);
        return string.Join('\n', rows.SelectMany(r => r.Select(p => p.Value?.ToString())));
    }
}

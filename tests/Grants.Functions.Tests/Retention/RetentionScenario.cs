using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.Execution;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Contracts.Vouchers;
using Grants.Domain.Auditing;
using Grants.Domain.Lottery;
using Grants.Functions.Execution;
using Grants.Functions.FollowUp;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Retention;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Retention;

/// <summary>A settled project subsidy: its application, its grant, and when its round was drawn.</summary>
public sealed record GrantFile(string RoundId, string ApplicationId, string GrantId, string Kvk, DateTimeOffset DrawnAt);

/// <summary>A paid innovation voucher: its application, the voucher, its supplier, and when its round was drawn.</summary>
public sealed record VoucherFile(string RoundId, string ApplicationId, string VoucherId, string Kvk, string SupplierKvk, DateTimeOffset DrawnAt);

/// <summary>An assessed project subsidy round: one application scored, advised on and awarded, and a member's conflict declared with a note.</summary>
public sealed record AssessedFile(string RoundId, string ApplicationId, DateTimeOffset DrawnAt, string Justification, string AdviceNote, string ConflictNote);

/// <summary>
/// Whole files taken through the API as their users would, on a host whose clock the test moves, and
/// the storage they leave behind read around the API: every row of a partition, its outbox, its blobs,
/// its audit chain. Its own POSTs go through <paramref name="post"/> when given (a test may send
/// each of them more than once).
/// </summary>
public sealed class RetentionScenario(GrantsHost api, Action<TimeSpan> advance, Func<HttpClient, string, HttpContent?, Task<HttpResponseMessage>>? post = null)
{
    /// <summary>Seven years and a few days: past any file's retention date (seven years hold at most two leap days).</summary>
    public static readonly TimeSpan PastRetention = TimeSpan.FromDays((7 * 365) + 3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AggregateStore Store => new(api.Storage(), TimeProvider.System);

    /// <summary>
    /// A drawn project subsidy round; one winner awarded and accepted, its advance paid, reminded of its
    /// progress report by mail, both reports submitted as PDFs and the grant settled below the award.
    /// </summary>
    public async Task<GrantFile> SettledGrantAsync()
    {
        var lottery = new LotteryScenario(api, post);
        var drawn = await lottery.FrozenRoundAsync();
        await lottery.RevealBothAsync(drawn);
        var drawnAt = api.Clock.GetUtcNow();
        await DrawAndPublishAsync(drawn.Round.Id);

        var chosen = await lottery.AwardFirstSelectedAsync(drawn.Applications);
        var award = chosen.Content.RequestedAmountCents;

        var kvk = chosen.OrganisationKvk;
        await LotteryScenario.Ok(PostAsync(Applicant(kvk), $"api/applications/{chosen.Id}/award/answer", HttpAssertions.Json(new AnswerAwardRequest(true))));
        var grant = await (await Applicant(kvk).GetAsync($"api/applications/{chosen.Id}/grant", Ct)).ReadAsync<GrantResponse>();
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/grants/{grant.Id}/advances/{grant.Advances[0].Id}/pay", null));

        // Mail about the grant: a reminder shortly before the progress report is due.
        advance(grant.Reports.Single(r => r.Kind == "progress").DueAt - TimeSpan.FromDays(13) - api.Clock.GetUtcNow());
        await api.FireAsync(nameof(WatchReportDeadlines));
        await api.FireAsync(nameof(RelayOutbox));

        var costs = award * 9 / 10;
        await LotteryScenario.Ok(Applicant(kvk).PutAsync($"api/grants/{grant.Id}/reports/progress", Pdf(1), Ct));
        await LotteryScenario.Ok(Applicant(kvk).PutAsync($"api/grants/{grant.Id}/reports/final?actualCostsCents={costs}", Pdf(2), Ct));
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/grants/{grant.Id}/settlement", HttpAssertions.Json(new SettleGrantRequest(costs))));
        return new GrantFile(drawn.Round.Id, chosen.Id, grant.Id, kvk, drawnAt);
    }

    /// <summary>
    /// A drawn and published project subsidy round with a committee of three and a chair; one member
    /// declares a conflict with the first selected organisation, the two assigned members score it with
    /// justifications that name its project lead (one corrects a sheet once all are in), the chair advises
    /// with a note that names another, and the ministry awards it.
    /// </summary>
    public async Task<AssessedFile> AssessedAsync()
    {
        var lottery = new LotteryScenario(api, post);
        var drawn = await lottery.FrozenRoundAsync();
        await lottery.RevealBothAsync(drawn);
        var drawnAt = api.Clock.GetUtcNow();
        await DrawAndPublishAsync(drawn.Round.Id);
        var selected = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            var current = await lottery.Read(drawn.Ministry, application.Id);
            if (current.Status == "Selected")
            {
                selected.Add(current);
            }
        }

        var target = selected.OrderBy(a => a.Outcome!.Rank).First();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string[] members = [$"anna-{suffix}", $"bram-{suffix}", $"cees-{suffix}"];
        CriterionDto[] criteria = [new("fit", "Fit with the themes", 1, 5, 1), new("quality", "Quality of the plan", 1, 5, 1)];
        await LotteryScenario.Ok(drawn.Ministry.PutAsync($"api/rounds/{drawn.Round.Id}/committee",
            HttpAssertions.Json(new SetCommitteeRequest($"voorzitter-{suffix}", members, criteria, 3.0)), Ct));
        const string conflictNote = "My brother-in-law Karel Visser leads this project.";
        await LotteryScenario.Ok(PostAsync(api.As(Roles.Assessor, subject: members[0]), $"api/rounds/{drawn.Round.Id}/committee/conflicts",
            HttpAssertions.Json(new DeclareConflictRequest(target.OrganisationKvk, null, "family", conflictNote))));
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/rounds/{drawn.Round.Id}/assessments/assign", null));

        var assessmentId = $"assessment-{target.Id}";
        var assessment = await (await Ministry().GetAsync($"api/assessments/{assessmentId}", Ct)).ReadAsync<AssessmentResponse>();
        const string justification = "Ingrid Smit, the project lead, ran a comparable change before.";
        foreach (var member in assessment.Members)
        {
            await LotteryScenario.Ok(PostAsync(api.As(Roles.Assessor, subject: member), $"api/assessments/{assessmentId}/scores",
                HttpAssertions.Json(new SubmitScoresRequest([new("fit", 4, justification), new("quality", 3, justification)]))));
        }

        // Once all scores are in, the first member corrects a sheet (a new sheet naming the one it corrects).
        await LotteryScenario.Ok(PostAsync(api.As(Roles.Assessor, subject: assessment.Members[0]), $"api/assessments/{assessmentId}/scores/sheet-1/corrections",
            HttpAssertions.Json(new SubmitScoresRequest([new("fit", 5, justification), new("quality", 3, justification)]))));

        const string adviceNote = "Positive; the works council chair Marloes Kok supports it.";
        await LotteryScenario.Ok(PostAsync(api.As(Roles.Assessor, subject: $"voorzitter-{suffix}"), $"api/assessments/{assessmentId}/advice",
            HttpAssertions.Json(new AdviceRequest(true, adviceNote))));
        await lottery.AwardAsync(target);
        return new AssessedFile(drawn.Round.Id, target.Id, drawnAt, justification, adviceNote, conflictNote);
    }

    /// <summary>
    /// A voucher round with budget for one of two applicants, drawn; the winner's voucher issued (its code by
    /// mail), claimed by a verified knowledge institution with its invoice, confirmed by the holder and paid.
    /// </summary>
    public async Task<VoucherFile> PaidVoucherAsync()
    {
        var scheme = await (await PostAsync(Ministry(), "api/schemes", HttpAssertions.Json(new CreateSchemeRequest($"Innovation vouchers {Guid.NewGuid():N}"[..28], "Voucher")))).ReadAsync<SchemeResponse>(HttpStatusCode.Created);
        var configuration = GrantBuilders.Esf2008(api.Clock) with
        {
            Instrument = "Voucher", VoucherValueCents = 7_500_00, MaxPerApplicationCents = 7_500_00, BudgetCeilingCents = 7_500_00,
            MinimumControlGroup = 0, Vouchers = new VoucherRulesDto(365, ConsultanciesAllowed: false, MinimumConsultancyReferences: 0),
        };
        var round = await (await PostAsync(Ministry(), $"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest($"Vouchers {Guid.NewGuid():N}"[..16], configuration)))).ReadAsync<RoundResponse>(HttpStatusCode.Created);
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/rounds/{round.Id}/open", null));
        var seed = RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed)))));
        var applications = new List<ApplicationResponse>();
        for (var i = 0; i < 2; i++)
        {
            using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
            applications.Add(await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: 7_500_00)));
        }

        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/rounds/{round.Id}/close", null));
        foreach (var application in applications)
        {
            await LotteryScenario.Ok(PostAsync(Ministry(), $"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible"))));
        }

        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/rounds/{round.Id}/pool/freeze", null));
        await LotteryScenario.Ok(LotteryScenario.Reveal(Ministry(), round.Id, seed));
        var drawnAt = api.Clock.GetUtcNow();
        await DrawAndPublishAsync(round.Id);

        ApplicationResponse? selected = null;
        foreach (var application in applications)
        {
            var current = await (await Ministry().GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>();
            selected ??= current.Status == "Selected" ? current : null;
        }

        var kvk = selected!.OrganisationKvk;
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/applications/{selected.Id}/award", HttpAssertions.Json(new AwardRequest(7_500_00))));
        await api.FireAsync(nameof(RelayOutbox));
        var mail = await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == GrantBuilders.ContactEmail(kvk) && MailText.VoucherCode().IsMatch(m.TextBody ?? string.Empty));
        var code = MailText.VoucherCode().Match(mail.TextBody!).Value;

        var supplierKvk = GrantBuilders.NewKvk();
        var supplier = api.As(Roles.Supplier, organisation: supplierKvk, subject: $"supplier-{supplierKvk}");
        await (await PostAsync(supplier, "api/suppliers", HttpAssertions.Json(new RegisterSupplierRequest("TU Delft", "knowledge-institution", [new SupplierReferenceDto(SupplierClient, "Process innovation for its owner, J. Jansen", 2007)])))).ReadAsync<SupplierResponse>(HttpStatusCode.Created);
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/suppliers/{supplierKvk}/verification", null));
        var voucher = await (await PostAsync(supplier, "api/vouchers/claims", HttpAssertions.Json(new ClaimVoucherRequest(code, 7_000_00)))).ReadAsync<VoucherResponse>();
        await LotteryScenario.Ok(supplier.PutAsync($"api/vouchers/{voucher.Id}/invoice", Pdf(3), Ct));
        await LotteryScenario.Ok(PostAsync(Applicant(kvk), $"api/vouchers/{voucher.Id}/confirm", null));
        await LotteryScenario.Ok(PostAsync(Ministry(), $"api/vouchers/{voucher.Id}/pay", null));
        return new VoucherFile(round.Id, selected.Id, voucher.Id, kvk, supplierKvk, drawnAt);
    }

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string url, HttpContent? content) =>
        post is null ? client.PostAsync(url, content, Ct) : post(client, url, content);

    /// <summary>Both follow-up waves of a round drawn then run their course: invitations mailed at twelve months, every survey closed after the second wave.</summary>
    /// <summary>The client named in the reference of the voucher file's supplier.</summary>
    public const string SupplierClient = "Bakkerij Jansen";

    public async Task FollowUpEndsAsync(DateTimeOffset drawnAt)
    {
        advance(drawnAt.AddMonths(12).AddDays(1) - api.Clock.GetUtcNow());
        await api.FireAsync(nameof(RunFollowUp));
        await api.FireAsync(nameof(RelayOutbox));
        advance(drawnAt.AddMonths(27) - api.Clock.GetUtcNow());
        await api.FireAsync(nameof(RunFollowUp));
        await api.FireAsync(nameof(RelayOutbox));
    }

    /// <summary>A withdrawn application with both PDFs, a reason that names a person and its receipt mail sent.</summary>
    public async Task<ApplicationResponse> WithdrawnAsync(string roundId, string kvk)
    {
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var submitted = await applicant.SubmittedAsync(roundId);
        await LotteryScenario.Ok(applicant.PostAsync($"api/applications/{submitted.Id}/withdraw", HttpAssertions.Json(new WithdrawApplicationRequest("Pieter Bakker, our project lead, has left.")), Ct));
        await api.FireAsync(nameof(RelayOutbox));
        return submitted;
    }

    public HttpClient Ministry(string subject = "beleidsmedewerker") => api.As(Roles.Ministry, subject: subject);

    public HttpClient Applicant(string kvk) => api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");

    /// <summary>Every value in every row of a record's partition (state, audit events, outbox), as one text.</summary>
    public async Task<string> RowsTextAsync(string id) =>
        string.Join('\n', (await RowsAsync(id)).SelectMany(r => r.Select(p => p.Value?.ToString())));

    /// <summary>The record's mail, as the outbox holds it.</summary>
    public async Task<IReadOnlyList<TableEntity>> OutboxAsync(string id) =>
        [.. (await RowsAsync(id)).Where(r => r.RowKey.StartsWith(AggregateStore.OutboxRowPrefix, StringComparison.Ordinal))];

    /// <summary>The names of the uploaded files stored for an application, grant or voucher.</summary>
    public async Task<IReadOnlyList<string>> BlobsAsync(string ownerId)
    {
        var container = await api.Storage().ContainerAsync(ContainerNames.Attachments, Ct);
        return await container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{ownerId}/", Ct).Select(b => b.Name).ToListAsync(Ct);
    }

    public async Task<StoredAggregate<TState>> RecordAsync<TState>(string id) =>
        await Store.FindAsync<TState>(id, Ct) ?? throw new InvalidOperationException($"No record {id}.");

    public Task<IReadOnlyList<AuditEvent>> TrailAsync(string id) => Store.AuditTrailAsync(id, Ct);

    /// <summary>The record's audit chain recomputed from storage against the head its state row records.</summary>
    public async Task<ChainVerification> ChainAsync(string id)
    {
        var head = await RecordAsync<object>(id);
        return AuditChain.Verify(await TrailAsync(id), head.AuditSequence, head.AuditHead);
    }

    /// <summary>Where the record stands in retention: the ix_Retention column, or null when retention never reached it.</summary>
    public async Task<string?> RetentionMarkAsync(string id) =>
        (await RecordAsync<object>(id)).Index.GetValueOrDefault(RecordErasure.Index);

    public async Task<IReadOnlyList<string>> SurveysOfAsync(string applicationId) =>
        [.. (await Store.QueryAsync<object>(SurveyStore.AggregateType, $"ix_ApplicationId eq {applicationId}", Ct)).Select(s => s.Id)];

    private async Task<IReadOnlyList<TableEntity>> RowsAsync(string id)
    {
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        return await table.QueryAsync<TableEntity>(r => r.PartitionKey == id, cancellationToken: Ct).ToListAsync(Ct);
    }

    private async Task DrawAndPublishAsync(string roundId)
    {
        using var ministry = Ministry();
        var status = await (await PostAsync(ministry, $"api/rounds/{roundId}/lottery/draw", null)).ReadDrawAsync(ministry);
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(PostAsync(Ministry(), $"api/rounds/{roundId}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("small pool"))));
        }
    }

    private static ByteArrayContent Pdf(int seed)
    {
        var content = new ByteArrayContent(TestPdf.Create(30_000, seed));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return content;
    }
}

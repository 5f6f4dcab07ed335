using System.Net;
using Azure.Core;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.FollowUp;
using Grants.Contracts.Organisations;
using Grants.Contracts.Schemes;
using Grants.Functions.Assessments;
using Grants.Functions.FollowUp;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;
using Grants.Functions.Tests.Retention;
using Grants.Functions.Vouchers;

namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// A request whose effect was committed but whose response was never stored under its
/// Idempotency-Key (storing it failed, and the caller's connection dropped): the caller sends it
/// again with the same key once the key's lease has run out, the retry takes the reservation over
/// and runs the command again. Every POST of a voucher file and of a grant's execution — from
/// creating the scheme and opening the round to paying — must then answer as the first attempt did,
/// not "already paid" or "not possible now", and have had one effect.
/// </summary>
public sealed class ForgottenResponseTests(FaultyGrantsApi api) : IClassFixture<FaultyGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The lease <see cref="FaultyGrantsApi"/> gives a key, and a moment.</summary>
    private static readonly TimeSpan PastLease = TimeSpan.FromSeconds(6);

    private readonly List<(string Url, HttpStatusCode First, HttpStatusCode Again)> _sent = [];

    [Fact]
    public async Task AVoucherFileWhoseEveryRequestIsSentTwiceHasEachStepOnce()
    {
        var file = await ForgetfulAsync(() => Scenario.PaidVoucherAsync());

        AssertEveryStepAnsweredAlike(15);
        var events = (await Scenario.TrailAsync(file.VoucherId)).Select(e => e.Type).ToList();
        Assert.Equal(["VoucherIssued", "VoucherClaimed", "VoucherInvoiceAttached", "VoucherClaimConfirmed", "VoucherPaid"], events);
        Assert.Single(await Scenario.TrailAsync(VoucherStores.SupplierId(file.SupplierKvk)), e => e.Type == "SupplierVerified");
        foreach (var record in new[] { file.RoundId, file.ApplicationId })
        {
            var types = (await Scenario.TrailAsync(record)).Select(e => e.Type).Where(t => t != "AttachmentAdded").ToList(); // the plan and the budget
            Assert.True(types.Count == types.Distinct().Count(), $"{record}: {string.Join(", ", types)}");
        }
    }

    [Fact]
    public async Task AGrantAcceptedPaidAndSettledByRequestsSentTwiceIsPaidOnce()
    {
        var file = await ForgetfulAsync(() => Scenario.SettledGrantAsync());

        AssertEveryStepAnsweredAlike();
        // Besides the round's steps to its award: the holder's answer, the advance's payment and the settlement.
        Assert.Equal(3, _sent.Count(s => s.Url.StartsWith("api/grants/", StringComparison.Ordinal) || s.Url.EndsWith("/award/answer", StringComparison.Ordinal)));
        var events = (await Scenario.TrailAsync(file.GrantId)).Select(e => e.Type).ToList();
        Assert.Single(events, e => e == "AdvancePaid");
        Assert.Single(events, e => e == "GrantSettled");
    }

    [Fact]
    public async Task ARoundDrawnAssessedAndAwardedByRequestsSentTwiceHasEachDecisionOnce()
    {
        var file = await ForgetfulAsync(() => Scenario.AssessedAsync());

        // Seed commitments and reveals, closing, six eligibility decisions, the freeze, the draw, a conflict,
        // the assignment, two score sheets and a correction, the advice and the award: each sent twice, each answered alike.
        AssertEveryStepAnsweredAlike();
        foreach (var (step, times) in new[] { ("/lottery/commitments", 2), ("/close", 1), ("/eligibility", 6), ("/pool/freeze", 1), ("/lottery/reveals", 2), ("/lottery/draw", 1),
            ("/committee/conflicts", 1), ("/assessments/assign", 1), ("/scores", 2), ("/corrections", 1), ("/advice", 1), ("/award", 1) })
        {
            Assert.True(_sent.Count(s => s.Url.EndsWith(step, StringComparison.Ordinal)) == times, $"{step}: {string.Join(", ", _sent.Select(s => s.Url))}");
        }

        var assessment = (await Scenario.TrailAsync($"assessment-{file.ApplicationId}")).Select(e => e.Type);
        Assert.Equal(["AssessmentAssigned", "ScoresSubmitted", "ScoresSubmitted", "ScoresCorrected", "AdviceRecorded"], assessment);
        Assert.Single(await Scenario.TrailAsync(AssessmentStores.CommitteeId(file.RoundId)), e => e.Type == AssessmentStores.ConflictDeclaredEvent);
        foreach (var record in new[] { file.RoundId, file.ApplicationId })
        {
            var types = (await Scenario.TrailAsync(record)).Select(e => e.Type).Where(t => t != "AttachmentAdded").ToList(); // the plan and the budget
            var once = types.Where(t => t is not ("SeedCommitted" or "SeedRevealed")).ToList(); // one of each per party
            Assert.True(once.Count == once.Distinct().Count() && types.Count(t => t == "SeedCommitted") is 0 or 2 && types.Count(t => t == "SeedRevealed") is 0 or 2,
                $"{record}: {string.Join(", ", types)}");
        }

        var budget = await (await Scenario.Ministry().GetAsync($"api/rounds/{file.RoundId}/budget", Ct)).ReadAsync<Grants.Contracts.Lottery.BudgetResponse>();
        var awarded = await (await Scenario.Ministry().GetAsync($"api/applications/{file.ApplicationId}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(awarded.Content.RequestedAmountCents, budget.CommittedCents);
    }

    [Fact]
    public async Task ARejectionItsObjectionAndAWithdrawalSentTwiceEachMoveTheRankListOnce()
    {
        // The same steps in two rounds: once sent a single time, once each sent twice with its answer forgotten.
        var once = await RejectedObjectedAndWithdrawnAsync((client, url, content) => client.PostAsync(url, content, Ct));
        _sent.Clear();
        var twice = await ForgetfulAsync(() => RejectedObjectedAndWithdrawnAsync(SendTwiceAsync));

        AssertEveryStepAnsweredAlike();
        Assert.Equal(4, _sent.Count(s => s.Url.EndsWith("/reject", StringComparison.Ordinal) || s.Url.Contains("/objection", StringComparison.Ordinal) || s.Url.EndsWith("/withdraw", StringComparison.Ordinal)));
        Assert.Single(twice.RejectedTrail, t => t == "ObjectionLodged");
        Assert.Single(twice.RejectedTrail, t => t == "ObjectionUpheld");
        Assert.Single(twice.WithdrawnTrail, t => t == "ApplicationWithdrawn");
        Assert.Equal(once.RejectedTrail, twice.RejectedTrail);
        Assert.Equal(once.WithdrawnTrail, twice.WithdrawnTrail);

        // Each move of the rank list happened once: the same ranks selected, on the reserve list and withdrawn, the same budget.
        Assert.Equal(once.StatusByRank, twice.StatusByRank);
        Assert.Equal(once.Budget, twice.Budget);
        Assert.Equal(twice.Budget.Ceiling, twice.Budget.Available + twice.Budget.Reserved + twice.Budget.Committed);
    }

    private sealed record RankListMoves(List<string> RejectedTrail, List<string> WithdrawnTrail, List<string> StatusByRank, (long Ceiling, long Available, long Reserved, long Committed) Budget);

    /// <summary>
    /// Six requests of 100,000 for 300,000, drawn: the best-ranked selected one is rejected (its place goes to
    /// the first on the reserve list), objects and is upheld (selected again); the next selected withdraws
    /// (its place goes to the next on the list). Every POST goes through <paramref name="send"/>.
    /// </summary>
    private async Task<RankListMoves> RejectedObjectedAndWithdrawnAsync(Func<HttpClient, string, HttpContent?, Task<HttpResponseMessage>> send)
    {
        var lottery = new LotteryScenario(api, send);
        var drawn = await lottery.FrozenRoundAsync(ceilingCents: 300_000_00, amounts: [.. Enumerable.Repeat(100_000_00L, 6)]);
        await lottery.RevealBothAsync(drawn);
        await LotteryScenario.Ok(send(drawn.Ministry, $"api/rounds/{drawn.Round.Id}/lottery/draw", null));
        var selected = (await RankedAsync(drawn)).Where(a => a.Status == "Selected").ToList();
        var (rejected, withdrawn) = (selected[0], selected[1]);
        using var objecting = api.As(Roles.Applicant, organisation: rejected.OrganisationKvk, subject: $"user-{rejected.OrganisationKvk}");
        using var withdrawing = api.As(Roles.Applicant, organisation: withdrawn.OrganisationKvk, subject: $"user-{withdrawn.OrganisationKvk}");

        await LotteryScenario.Ok(send(drawn.Ministry, $"api/applications/{rejected.Id}/reject", HttpAssertions.Json(new RejectRequest(["assessment-negative"], "Weak plan."))));
        await LotteryScenario.Ok(send(objecting, $"api/applications/{rejected.Id}/objection", HttpAssertions.Json(new LodgeObjectionRequest("The plan was misread."))));
        await LotteryScenario.Ok(send(drawn.Ministry, $"api/applications/{rejected.Id}/objection/decision", HttpAssertions.Json(new DecideObjectionRequest(true, "It was misread."))));
        await LotteryScenario.Ok(send(withdrawing, $"api/applications/{withdrawn.Id}/withdraw", HttpAssertions.Json(new WithdrawApplicationRequest("Our project lead left."))));

        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<Grants.Contracts.Lottery.BudgetResponse>();
        return new RankListMoves(
            [.. (await Scenario.TrailAsync(rejected.Id)).Select(e => e.Type)],
            [.. (await Scenario.TrailAsync(withdrawn.Id)).Select(e => e.Type)],
            [.. (await RankedAsync(drawn)).Select(a => $"{a.Outcome!.Rank}: {a.Status}")],
            (budget.CeilingCents, budget.AvailableCents, budget.ReservedCents, budget.CommittedCents));
    }

    private static async Task<List<ApplicationResponse>> RankedAsync(LotteryScenario.DrawnRound drawn)
    {
        var found = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            found.Add(await (await drawn.Ministry.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>());
        }

        return [.. found.OrderBy(a => a.Outcome!.Rank)];
    }

    [Fact]
    public async Task ASubmissionSentAgainAfterTheClosingTimeIsAnsweredAsSubmitted()
    {
        // Sent again after the closing time, before the closing timer ran.
        var trail = await SubmittedTwiceAsync(TimeSpan.FromHours(1), _ =>
        {
            api.Advance(TimeSpan.FromHours(2));
            return Task.CompletedTask;
        });

        Assert.Single(trail, e => e == "ApplicationSubmitted");
    }

    [Fact]
    public async Task ASubmissionSentAgainAfterTheRoundClosedAndToldItsApplicantsIsAnsweredAsSubmitted()
    {
        // Closing the round records its notice on the application: the submission is no longer its last write.
        using var ministry = api.As(Roles.Ministry);
        var trail = await SubmittedTwiceAsync(closesIn: null, async roundId =>
        {
            await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{roundId}/close", null, Ct));
            api.Advance(PastLease);
        });

        Assert.Single(trail, e => e == "ApplicationSubmitted");
        Assert.Equal("RoundClosedNoticeSent", trail[^1]);
    }

    [Fact]
    public async Task AConflictDeclaredByARequestSentTwiceIsDeclaredOnce()
    {
        var round = await api.OpenRoundAsync();
        var member = $"anna-{Guid.NewGuid():N}"[..11];
        using var ministry = api.As(Roles.Ministry);
        await LotteryScenario.Ok(ministry.PutAsync($"api/rounds/{round.Id}/committee", HttpAssertions.Json(new SetCommitteeRequest(
            $"chair-{member}", [member, $"bram-{member}"], [new CriterionDto("quality", "Quality of the plan", 1, 5, 1)], 3.0)), Ct));
        using var assessor = api.As(Roles.Assessor, subject: member);

        await ForgetfulAsync(() => SendTwiceAsync(assessor, $"api/rounds/{round.Id}/committee/conflicts",
            HttpAssertions.Json(new DeclareConflictRequest(GrantBuilders.NewKvk(), null, "employer", "Worked there until last year."))));

        AssertEveryStepAnsweredAlike(1);
        var committee = await (await ministry.GetAsync($"api/rounds/{round.Id}/committee", Ct)).ReadAsync<CommitteeResponse>();
        Assert.Single(committee.Conflicts);
        Assert.Single(await Scenario.TrailAsync(AssessmentStores.CommitteeId(round.Id)), e => e.Type == "ConflictDeclared");
    }

    [Fact]
    public async Task ARespondentAddedByARequestSentTwiceIsAddedAndInvitedOnce()
    {
        var file = await Scenario.PaidVoucherAsync();
        api.Advance(file.DrawnAt.AddMonths(12).AddDays(1) - api.Clock.GetUtcNow());
        await api.FireAsync(nameof(RunFollowUp));
        var wave1 = (await Scenario.SurveysOfAsync(file.ApplicationId)).Single(id => id.EndsWith("-w1", StringComparison.Ordinal));
        using var owner = api.As(Roles.Applicant, organisation: file.Kvk, subject: $"user-{file.Kvk}");
        _sent.Clear();

        await ForgetfulAsync(() => SendTwiceAsync(owner, $"api/surveys/{wave1}/respondents",
            HttpAssertions.Json(new AddRespondentRequest("employee_representative", "or@example.org", "en"))));

        AssertEveryStepAnsweredAlike(1);
        var trail = await Scenario.TrailAsync(wave1);
        Assert.Single(trail, e => e.Type == "SurveyRespondentAdded");
        Assert.Single(await Scenario.OutboxAsync(wave1), m => m.GetString("To") == "or@example.org");
    }

    [Fact]
    public async Task AnOrganisationRegisteredByARequestSentTwiceIsRegisteredOnce()
    {
        var kvk = GrantBuilders.NewKvk();
        using var applicant = api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");

        var again = await ForgetfulAsync(() => SendTwiceAsync(applicant, "api/organisations", HttpAssertions.Json(new RegisterOrganisationRequest(
            kvk, $"Organisatie {kvk} BV", "industry", "medium", false, "nl", "P. Jansen", GrantBuilders.ContactEmail(kvk)))));

        AssertEveryStepAnsweredAlike(1);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(kvk, (await again.ReadAsync<OrganisationResponse>(HttpStatusCode.Created)).Kvk);
        Assert.Single(await Scenario.TrailAsync(OrganisationStore.IdFor(kvk)));
    }

    [Fact]
    public async Task ASchemeRetiredByARequestSentTwiceIsRetiredOnce()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await (await ministry.PostAsync("api/schemes", HttpAssertions.Json(SchemeRequests.EsfSocialInnovation()), Ct)).ReadAsync<SchemeResponse>(HttpStatusCode.Created);

        await ForgetfulAsync(() => SendTwiceAsync(ministry, $"api/schemes/{scheme.Id}/retire", HttpAssertions.Json(new RetireSchemeRequest("Budget moved to the 2009 scheme."))));

        AssertEveryStepAnsweredAlike(1);
        Assert.Single(await Scenario.TrailAsync(scheme.Id), e => e.Type == "SchemeRetired");
    }

    /// <summary>
    /// A draft submitted in time whose answer is lost, <paramref name="between"/> the round's id, and the
    /// same submission sent again: both answered as submitted with one receipt number. Returns the
    /// application's trail.
    /// </summary>
    private async Task<IReadOnlyList<string>> SubmittedTwiceAsync(TimeSpan? closesIn, Func<string, Task> between)
    {
        var round = await api.OpenRoundAsync(closesIn: closesIn);
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var draft = await applicant.DraftAsync(round.Id);

        var submitted = await ForgetfulAsync(async () =>
        {
            var key = Guid.NewGuid().ToString();
            var first = await applicant.SendAsync(Submit(draft.Id, key), Ct);
            await between(round.Id);
            return (First: first, Again: await applicant.SendAsync(Submit(draft.Id, key), Ct));
        });

        var first = await submitted.First.ReadAsync<ApplicationResponse>();
        var again = await submitted.Again.ReadAsync<ApplicationResponse>();
        Assert.Equal(("Submitted", first.ReceiptNumber), (again.Status, again.ReceiptNumber));
        return [.. (await Scenario.TrailAsync(draft.Id)).Select(e => e.Type)];
    }

    private static HttpRequestMessage Submit(string applicationId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/applications/{applicationId}/submit");
        request.Headers.Add(IdempotentRequests.HeaderName, key);
        return request;
    }

    private void AssertEveryStepAnsweredAlike(int? steps = null)
    {
        Assert.All(_sent, s => Assert.True(s.First == s.Again && (int)s.Again < 300, $"{s.Url}: {(int)s.First} then {(int)s.Again}"));
        if (steps is { } count)
        {
            Assert.Equal(count, _sent.Count);
        }
    }

    private RetentionScenario Scenario => new(api, api.Advance, SendTwiceAsync);

    /// <summary>Runs the scenario while every attempt to store a response under an Idempotency-Key fails.</summary>
    private async Task<T> ForgetfulAsync<T>(Func<Task<T>> scenario)
    {
        api.Faults.InjectWhere(request => request.Method == RequestMethod.Put && request.Uri.Path.Contains($"/{TableNames.Idempotency}(", StringComparison.Ordinal)
            && StorageFaults.BodyOf(request).Contains("\"State\":\"Completed\"", StringComparison.Ordinal), failBeforeSend: 1, loseResponse: 0);
        try
        {
            return await scenario();
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }
    }

    /// <summary>Sends with a key; then, the response taken as lost, the same again once the key's lease ran out.</summary>
    private async Task<HttpResponseMessage> SendTwiceAsync(HttpClient client, string url, HttpContent? content)
    {
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add(IdempotentRequests.HeaderName, key);
            return request;
        }

        var first = await client.SendAsync(Request(), Ct);
        api.Advance(PastLease);
        var again = await client.SendAsync(Request(), Ct);
        _sent.Add((url, first.StatusCode, again.StatusCode));
        return again;
    }
}

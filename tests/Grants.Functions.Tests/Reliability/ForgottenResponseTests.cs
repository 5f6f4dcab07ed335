using System.Net;
using Azure.Core;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.FollowUp;
using Grants.Contracts.Lottery;
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

    private readonly SentTwice _twice = new(api);

    [Fact]
    public async Task AVoucherFileWhoseEveryRequestIsSentTwiceHasEachStepOnce()
    {
        var file = await _twice.ForgetfulAsync(() => Scenario.PaidVoucherAsync());

        _twice.AssertEveryStepAnsweredAlike(15);
        var events = (await Scenario.TrailAsync(file.VoucherId)).Select(e => e.Type).ToList();
        Assert.Equal(["VoucherIssued", "VoucherClaimed", "VoucherInvoiceAttached", "VoucherClaimConfirmed", "VoucherPaid"], events);
        Assert.Single(await Scenario.TrailAsync(SupplierStore.IdFor(file.SupplierKvk)), e => e.Type == "SupplierVerified");
        foreach (var record in new[] { file.RoundId, file.ApplicationId })
        {
            var types = (await Scenario.TrailAsync(record)).Select(e => e.Type).Where(t => t != "AttachmentAdded").ToList(); // the plan and the budget
            Assert.True(types.Count == types.Distinct().Count(), $"{record}: {string.Join(", ", types)}");
        }
    }

    [Fact]
    public async Task AGrantAcceptedPaidAndSettledByRequestsSentTwiceIsPaidOnce()
    {
        var file = await _twice.ForgetfulAsync(() => Scenario.SettledGrantAsync());

        _twice.AssertEveryStepAnsweredAlike();
        // Besides the round's steps to its award: the holder's answer, the advance's payment and the settlement.
        Assert.Equal(3, _twice.Sent.Count(s => s.Url.StartsWith("api/grants/", StringComparison.Ordinal) || s.Url.EndsWith("/award/answer", StringComparison.Ordinal)));
        var events = (await Scenario.TrailAsync(file.GrantId)).Select(e => e.Type).ToList();
        Assert.Single(events, e => e == "AdvancePaid");
        Assert.Single(events, e => e == "GrantSettled");
    }

    [Fact]
    public async Task ARoundDrawnAssessedAndAwardedByRequestsSentTwiceHasEachDecisionOnce()
    {
        var file = await _twice.ForgetfulAsync(() => Scenario.AssessedAsync());

        // Seed commitments and reveals, closing, six eligibility decisions, the freeze, the draw, a conflict,
        // the assignment, two score sheets and a correction, the advice and the award: each sent twice, each answered alike.
        _twice.AssertEveryStepAnsweredAlike();
        foreach (var (step, times) in new[] { ("/lottery/commitments", 2), ("/close", 1), ("/eligibility", 6), ("/pool/freeze", 1), ("/lottery/reveals", 2), ("/lottery/draw", 1),
            ("/committee/conflicts", 1), ("/assessments/assign", 1), ("/scores", 2), ("/corrections", 1), ("/advice", 1), ("/award", 1) })
        {
            Assert.True(_twice.Sent.Count(s => s.Url.EndsWith(step, StringComparison.Ordinal)) == times, $"{step}: {string.Join(", ", _twice.Sent.Select(s => s.Url))}");
        }

        var assessment = (await Scenario.TrailAsync($"assessment-{file.ApplicationId}")).Select(e => e.Type);
        Assert.Equal(["AssessmentAssigned", "ScoresSubmitted", "ScoresSubmitted", "ScoresCorrected", "AdviceRecorded"], assessment);
        Assert.Single(await Scenario.TrailAsync(CommitteeStore.IdFor(file.RoundId)), e => e.Type == CommitteeStore.ConflictDeclaredEvent);
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
        _twice.Sent.Clear();
        var twice = await _twice.ForgetfulAsync(() => RejectedObjectedAndWithdrawnAsync(_twice.SendAsync));

        _twice.AssertEveryStepAnsweredAlike();
        Assert.Equal(4, _twice.Sent.Count(s => s.Url.EndsWith("/reject", StringComparison.Ordinal) || s.Url.Contains("/objection", StringComparison.Ordinal) || s.Url.EndsWith("/withdraw", StringComparison.Ordinal)));
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
            api.Advance(SentTwice.PastLease);
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

        await _twice.ForgetfulAsync(() => _twice.SendAsync(assessor, $"api/rounds/{round.Id}/committee/conflicts",
            HttpAssertions.Json(new DeclareConflictRequest(GrantBuilders.NewKvk(), null, "employer", "Worked there until last year."))));

        _twice.AssertEveryStepAnsweredAlike(1);
        var committee = await (await ministry.GetAsync($"api/rounds/{round.Id}/committee", Ct)).ReadAsync<CommitteeResponse>();
        Assert.Single(committee.Conflicts);
        Assert.Single(await Scenario.TrailAsync(CommitteeStore.IdFor(round.Id)), e => e.Type == "ConflictDeclared");
    }

    [Fact]
    public async Task ARespondentAddedByARequestSentTwiceIsAddedAndInvitedOnce()
    {
        var file = await Scenario.PaidVoucherAsync();
        api.Advance(file.DrawnAt.AddMonths(12).AddDays(1) - api.Clock.GetUtcNow());
        await api.FireAsync(nameof(RunFollowUp));
        var wave1 = (await Scenario.SurveysOfAsync(file.ApplicationId)).Single(id => id.EndsWith("-w1", StringComparison.Ordinal));
        using var owner = api.As(Roles.Applicant, organisation: file.Kvk, subject: $"user-{file.Kvk}");
        _twice.Sent.Clear();

        await _twice.ForgetfulAsync(() => _twice.SendAsync(owner, $"api/surveys/{wave1}/respondents",
            HttpAssertions.Json(new AddRespondentRequest("employee_representative", "or@example.org", "en"))));

        _twice.AssertEveryStepAnsweredAlike(1);
        var trail = await Scenario.TrailAsync(wave1);
        Assert.Single(trail, e => e.Type == "SurveyRespondentAdded");
        Assert.Single(await Scenario.OutboxAsync(wave1), m => m.GetString("To") == "or@example.org");
    }

    [Fact]
    public async Task AnOrganisationRegisteredByARequestSentTwiceIsRegisteredOnce()
    {
        var kvk = GrantBuilders.NewKvk();
        using var applicant = api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");

        var again = await _twice.ForgetfulAsync(() => _twice.SendAsync(applicant, "api/organisations", HttpAssertions.Json(new RegisterOrganisationRequest(
            kvk, $"Organisatie {kvk} BV", "industry", "medium", false, "nl", "P. Jansen", GrantBuilders.ContactEmail(kvk)))));

        _twice.AssertEveryStepAnsweredAlike(1);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(kvk, (await again.ReadAsync<OrganisationResponse>(HttpStatusCode.Created)).Kvk);
        Assert.Single(await Scenario.TrailAsync(OrganisationStore.IdFor(kvk)));
    }

    [Fact]
    public async Task ASchemeRetiredByARequestSentTwiceIsRetiredOnce()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await (await ministry.PostAsync("api/schemes", HttpAssertions.Json(SchemeRequests.EsfSocialInnovation()), Ct)).ReadAsync<SchemeResponse>(HttpStatusCode.Created);

        await _twice.ForgetfulAsync(() => _twice.SendAsync(ministry, $"api/schemes/{scheme.Id}/retire", HttpAssertions.Json(new RetireSchemeRequest("Budget moved to the 2009 scheme."))));

        _twice.AssertEveryStepAnsweredAlike(1);
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

        var submitted = await _twice.ForgetfulAsync(async () =>
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

    private RetentionScenario Scenario => new(api, api.Advance, _twice.SendAsync);
}

/// <summary>
/// The requests that move a draw once it is made, each sent twice with its answer forgotten, on a host
/// that holds every draw for its balance: the held draw set aside by a re-draw, new commitments and
/// reveals, the draw made again, its publication confirmed and the budget topped up.
/// </summary>
public sealed class MovedDrawForgottenResponseTests(HeldDrawFaultyGrantsApi api) : IClassFixture<HeldDrawFaultyGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SentTwice _twice = new(api);

    [Fact]
    public async Task ADrawRedrawnPublishedAndToppedUpByRequestsSentTwiceMovesOnce()
    {
        var lottery = new LotteryScenario(api, _twice.SendAsync);
        var (drawn, topUpAnswer) = await _twice.ForgetfulAsync(async () =>
        {
            var first = await lottery.FrozenRoundAsync();
            var lotteryUrl = $"api/rounds/{first.Round.Id}/lottery";
            await lottery.RevealBothAsync(first);
            await LotteryScenario.Ok(_twice.SendAsync(first.Ministry, $"{lotteryUrl}/draw", null));
            await LotteryScenario.Ok(_twice.SendAsync(first.Ministry, $"{lotteryUrl}/redraw", HttpAssertions.Json(new RedrawRequest("The notary's seed leaked before the pool froze."))));
            var second = await lottery.CommitAgainAsync(first);
            await lottery.RevealBothAsync(second);
            await LotteryScenario.Ok(_twice.SendAsync(second.Ministry, $"{lotteryUrl}/draw", null));
            await LotteryScenario.Ok(_twice.SendAsync(second.Ministry, $"{lotteryUrl}/publish", HttpAssertions.Json(new ConfirmPublicationRequest("Six applications from one sector: the imbalance is the pool's."))));
            var toppedUp = await _twice.SendAsync(second.Ministry, $"api/rounds/{second.Round.Id}/budget/top-ups", HttpAssertions.Json(new TopUpRequest(120_000_00, "Extra funds from the ESF reserve")));
            return (second, await toppedUp.Content.ReadAsStringAsync(Ct));
        });

        _twice.AssertEveryStepAnsweredAlike();
        foreach (var (step, times) in new[] { ("/lottery/commitments", 4), ("/lottery/reveals", 4), ("/lottery/draw", 2), ("/lottery/redraw", 1), ("/lottery/publish", 1), ("/budget/top-ups", 1) })
        {
            Assert.True(_twice.Sent.Count(s => s.Url.EndsWith(step, StringComparison.Ordinal)) == times, $"{step}: {string.Join(", ", _twice.Sent.Select(s => s.Url))}");
        }

        // The retried top-up answers with what the first attempt applied, word for word.
        Assert.Equal(_twice.Sent.Single(s => s.Url.EndsWith("/budget/top-ups", StringComparison.Ordinal)).FirstBody, topUpAnswer);
        var topUp = System.Text.Json.JsonSerializer.Deserialize<CutoffChangeResponse>(topUpAnswer, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.True(topUp.Applied && topUp.NewlySelected.Count > 0, topUpAnswer);

        var roundId = drawn.Round.Id;
        var scenario = new RetentionScenario(api, api.Advance);
        var trail = (await scenario.TrailAsync(roundId)).Select(e => e.Type).ToList();
        foreach (var (type, times) in new[] { ("SeedCommitted", 4), ("SeedRevealed", 4), ("LotteryDrawn", 2), ("LotteryRedrawn", 1), ("LotteryPublicationConfirmed", 1), ("CutoffMoved", 1) })
        {
            Assert.True(trail.Count(t => t == type) == times, $"{type}: {string.Join(", ", trail)}");
        }

        var status = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        Assert.Single(status.Superseded);
        Assert.NotNull(status.Draw!.PublishedAt);

        // The top-up moved the cut-off once: its newly selected each chosen once, the ceiling raised once.
        var applications = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            applications.Add(await (await drawn.Ministry.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>());
            Assert.InRange((await scenario.TrailAsync(application.Id)).Count(e => e.Type == "SelectedFromReserve"), 0, 1);
        }

        var selected = applications.Where(a => a.Status == "Selected").ToList();
        Assert.Equal(topUp.SelectedAfter, selected.Count);
        Assert.Equal(topUp.NewlySelected.Count, topUp.SelectedAfter - topUp.SelectedBefore);
        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Single(budget.Entries, e => e.Kind == "top-up");
        Assert.Equal(300_000_00 + 120_000_00, budget.CeilingCents);
        Assert.Equal(selected.Sum(a => a.Content.RequestedAmountCents), budget.ReservedCents);
        Assert.Equal(budget.CeilingCents, budget.AvailableCents + budget.ReservedCents + budget.CommittedCents);
    }
}

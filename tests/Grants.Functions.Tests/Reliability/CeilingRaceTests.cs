using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Grants.Contracts.Applications;
using Grants.Contracts.Audit;
using Grants.Contracts.Lottery;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// Everything that moves one round's ceiling or cut-off, at the same moment: ministry top-ups,
/// grantees declining, staff awarding whoever the cut-off reaches. The budget never shows more held
/// than the ceiling, and the reserve list is used in its published order.
/// </summary>
public sealed class CeilingRaceTests(GrantsApi api)
{
    private const int PoolSize = 30;

    // Equal amounts make every place on the reserve list cost the same, so "in order" is exact.
    private const long Amount = 40_000_00;
    private const long Ceiling = 10 * Amount;

    // Five places in all; the 60k and 20k top-ups leave part of a place for the next change to fill.
    private static readonly long[] TopUps = [Amount, 60_000_00, 20_000_00, 2 * Amount];
    private const int Declines = 4;

    private const string ConcurrencyConflict = "urn:grants:problem:concurrency-conflict";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TopUpsDeclinesAndAwardsAtOnceKeepTheCeilingAndTheReserveOrder()
    {
        for (var round = 0; round < 5; round++)
        {
            await RaceOnOneCeilingAsync();
        }
    }

    private async Task RaceOnOneCeilingAsync()
    {
        var (roundId, published, byPoolId) = await DrawnRoundAsync();
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var initiallySelected = published.Selected.Select(id => byPoolId[id]).ToList();
        var committee = new LotteryScenario(api);
        await committee.AssessAsync(roundId, [.. initiallySelected.Select(a => a.Id)]);
        await Task.WhenAll(initiallySelected.Select(async a => Assert.Equal(HttpStatusCode.OK, (await AwardAsync(ministry, a.Id)).Status)));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var samples = new ConcurrentQueue<BudgetResponse>();
        var sampler = SampleBudgetAsync(roundId, samples, stop.Token);

        var topUps = TopUps.Select((amount, i) => TopUpAsync(roundId, amount, i)).ToList();
        var declines = initiallySelected.Take(Declines).Select(DeclineAsync).ToList();
        var others = Task.WhenAll([.. topUps, .. declines]);
        var awarded = await AwardWhoeverIsSelectedUntilQuietAsync(committee, ministry, roundId, others);
        await stop.CancelAsync();
        await sampler;

        // Whatever happened to the top-ups, the declines cannot be refused.
        Assert.All(await Task.WhenAll(declines), d => Assert.True(d.Status == HttpStatusCode.OK, $"decline: {(int)d.Status} {d.Body}"));
        var toppedUp = await Task.WhenAll(topUps);
        Assert.All(toppedUp, t => Assert.True(t.Status == HttpStatusCode.Accepted || t.Body.Contains(ConcurrencyConflict, StringComparison.Ordinal), $"top-up: {(int)t.Status} {t.Body}"));
        Assert.All(awarded, a => Assert.True(a.Status == HttpStatusCode.OK, $"award: {(int)a.Status} {a.Body}"));

        Assert.NotEmpty(samples);
        Assert.All(samples, AssertWithinCeiling);

        var budget = await (await ministry.GetAsync($"api/rounds/{roundId}/budget", Ct)).ReadAsync<BudgetResponse>();
        AssertWithinCeiling(budget);
        var raised = toppedUp.Where(t => t.Status == HttpStatusCode.Accepted).Sum(t => t.Amount);
        Assert.Equal(Ceiling + raised, budget.CeilingCents);
        Assert.Equal(budget.Entries.Count, budget.Entries.Select(e => e.EntryId).Distinct().Count());

        var final = await Task.WhenAll(byPoolId.Values.Select(a => ReadAsync(ministry, a.Id)));
        var holding = final.Where(a => a.Status is "Selected" or "Awarded").ToList();
        Assert.Equal(holding.Where(a => a.Status == "Selected").Sum(a => a.Content.RequestedAmountCents), budget.ReservedCents);
        Assert.Equal(holding.Where(a => a.Status == "Awarded").Sum(a => a.Decision!.AmountCents), budget.CommittedCents);
        Assert.Equal(0, holding.Count(a => a.Status == "Selected"));
        Assert.True(holding.Sum(a => a.Content.RequestedAmountCents) <= budget.CeilingCents);
        // The cut-off went as far as the money allows: every place the ceiling pays for is taken.
        Assert.Equal(budget.CeilingCents / Amount, holding.Count);
        Assert.Equal(Declines, final.Count(a => a.Status == "Declined"));

        // The reserve list is used in its published order: those moved up are exactly its head.
        var movedUp = published.Reserve.TakeWhile(id => final.Single(a => a.PoolId == id).Status != "Reserve").ToList();
        Assert.All(published.Reserve.Skip(movedUp.Count), id => Assert.Equal("Reserve", final.Single(a => a.PoolId == id).Status));
        Assert.Equal(holding.Count - (initiallySelected.Count - Declines), movedUp.Count);

        using var anyone = api.Anonymous();
        var protocol = await Lottery.LotteryScenario.PublishedProtocolAsync(anyone, roundId);
        Assert.Equal(holding.Select(a => a.PoolId!).Order(StringComparer.Ordinal), protocol.Selected.Order(StringComparer.Ordinal));
        Assert.Equal(published.Reserve.Skip(movedUp.Count), protocol.Reserve);
        var newlySelected = protocol.CutoffHistory.SelectMany(c => c.NewlySelected).ToList();
        Assert.Equal(movedUp.Order(StringComparer.Ordinal), newlySelected.Order(StringComparer.Ordinal));
        Assert.Equal(raised, protocol.CutoffHistory.Sum(c => c.BudgetChange));
        Assert.True((await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/verify", Ct)).ReadAsync<VerificationResponse>()).Verified);

        // Nobody was moved up twice: one selection each in the audit trail and in the ledger.
        foreach (var poolId in movedUp)
        {
            var trail = await (await ministry.GetAsync($"api/audit/{byPoolId[poolId].Id}", Ct)).ReadAsync<AuditTrailResponse>();
            Assert.Single(trail.Events, e => e.Type == "SelectedFromReserve");
            Assert.Single(budget.Entries, e => e.Kind == "reserve" && e.Reference == byPoolId[poolId].Id);
        }
    }

    private static void AssertWithinCeiling(BudgetResponse sample)
    {
        Assert.True(sample.CommittedCents + sample.ReservedCents + sample.PaidCents <= sample.CeilingCents,
            $"held {sample.CommittedCents + sample.ReservedCents + sample.PaidCents} above the ceiling {sample.CeilingCents}");
        Assert.True(sample.AvailableCents >= 0, $"available {sample.AvailableCents}");
        Assert.Equal(sample.CeilingCents, sample.AvailableCents + sample.ReservedCents + sample.CommittedCents + sample.PaidCents);
    }

    private sealed record Answer(HttpStatusCode Status, string Body, long Amount = 0);

    /// <summary>A round of equal requests whose ceiling funds a third, drawn and published; the applications by their pool id.</summary>
    private async Task<(string RoundId, LotteryProtocol Published, Dictionary<string, ApplicationResponse> ByPoolId)> DrawnRoundAsync()
    {
        var round = await api.OpenRoundAsync(adjust: c => c with { BudgetCeilingCents = Ceiling, MaxPerApplicationCents = Amount, MinimumControlGroup = 0 });
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        using var notary = api.As(Roles.Notary, subject: "notaris-de-boer");
        var (ministrySeed, notarySeed) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(ministrySeed))), Ct));
        await LotteryScenario.Ok(notary.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(notarySeed))), Ct));

        var submitted = await Task.WhenAll(Enumerable.Range(0, PoolSize).Select(async _ =>
        {
            using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
            return await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: Amount));
        }));
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        await Task.WhenAll(submitted.Select(a => LotteryScenario.Ok(ministry.PostAsync($"api/applications/{a.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct))));
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/pool/freeze", null, Ct));
        await LotteryScenario.Ok(LotteryScenario.Reveal(ministry, round.Id, ministrySeed));
        await LotteryScenario.Ok(LotteryScenario.Reveal(notary, round.Id, notarySeed));
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/draw", null, Ct));

        using var anyone = api.Anonymous();
        var published = LotteryProtocol.FromJson(await (await anyone.GetAsync($"api/rounds/{round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct));
        var drawn = await Task.WhenAll(submitted.Select(a => ReadAsync(ministry, a.Id)));
        Assert.Equal(Ceiling / Amount, published.Selected.Count);
        // The reserve positions the applicants were told are the published order.
        Assert.Equal(published.Reserve, drawn.Where(a => a.Status == "Reserve").OrderBy(a => a.Outcome!.ReservePosition).Select(a => a.PoolId!));
        return (round.Id, published, drawn.ToDictionary(a => a.PoolId!));
    }

    private async Task SampleBudgetAsync(string roundId, ConcurrentQueue<BudgetResponse> samples, CancellationToken stop)
    {
        using var auditor = api.As(Roles.Auditor, subject: "rekenkamer");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                samples.Enqueue(await (await auditor.GetAsync($"api/rounds/{roundId}/budget", stop)).ReadAsync<BudgetResponse>());
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The ministry raises the ceiling; told that the round changed meanwhile, it sends the same request again.</summary>
    private async Task<Answer> TopUpAsync(string roundId, long amount, int number)
    {
        using var ministry = api.As(Roles.Ministry, subject: $"begroting-{number}");
        var key = Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            var answer = await PostAsync(ministry, $"api/rounds/{roundId}/budget/top-ups", new TopUpRequest(amount, $"Extra funds, tranche {number + 1}"), key);
            if (!answer.Body.Contains(ConcurrencyConflict, StringComparison.Ordinal) || attempt == 20)
            {
                return answer with { Amount = amount };
            }
        }
    }

    private async Task<Answer> DeclineAsync(ApplicationResponse application)
    {
        using var grantee = api.As(Roles.Applicant, organisation: application.OrganisationKvk);
        return await PostAsync(grantee, $"api/applications/{application.Id}/award/answer", new AnswerAwardRequest(false), Guid.NewGuid().ToString("N"));
    }

    private static Task<Answer> AwardAsync(HttpClient ministry, string applicationId) =>
        PostAsync(ministry, $"api/applications/{applicationId}/award", new AwardRequest(Amount), Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Staff award whoever the cut-off has reached once the committee has advised on it (the round assesses
    /// after the draw), reading the list again, until the other changes are over and nobody is left selected.
    /// </summary>
    private static async Task<List<Answer>> AwardWhoeverIsSelectedUntilQuietAsync(LotteryScenario committee, HttpClient ministry, string roundId, Task others)
    {
        var answers = new List<Answer>();
        while (true)
        {
            var othersDone = others.IsCompleted;
            var page = await (await ministry.GetAsync($"api/rounds/{roundId}/applications?status=Selected", Ct)).ReadAsync<ApplicationPageResponse>();
            await committee.AssessAsync(roundId, [.. page.Items.Select(a => a.Id)]);
            answers.AddRange(await Task.WhenAll(page.Items.Select(a => AwardAsync(ministry, a.Id))));
            if (othersDone && page.Items.Count == 0)
            {
                return answers;
            }

            if (page.Items.Count == 0)
            {
                await Task.WhenAny(others, Task.Delay(TimeSpan.FromMilliseconds(20), Ct));
            }
        }
    }

    private static async Task<Answer> PostAsync(HttpClient client, string path, object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = HttpAssertions.Json(body) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request, Ct);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<ApplicationResponse> ReadAsync(HttpClient client, string applicationId) =>
        await (await client.GetAsync($"api/applications/{applicationId}", Ct)).ReadAsync<ApplicationResponse>();
}

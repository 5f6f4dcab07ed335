using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Grants.Cli.Commands;
using Grants.Contracts.Applications;
using Grants.Contracts.Assessments;
using Grants.Contracts.Audit;
using Grants.Contracts.Lottery;
using Grants.Contracts.Rounds;
using Grants.Domain.Lottery;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Lottery;

/// <summary>From a frozen pool to a published protocol that anyone can verify, on Azurite, over HTTP.</summary>
public sealed class LotteryTests(GrantsApi api)
{
    private readonly LotteryScenario _scenario = new(api);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<LotteryScenario.DrawnRound> FrozenRoundAsync() => _scenario.FrozenRoundAsync();

    private Task<ApplicationResponse> Read(HttpClient client, string applicationId) => _scenario.Read(client, applicationId);

    private static Task Ok(Task<HttpResponseMessage> call) => LotteryScenario.Ok(call);

    private static Task<HttpResponseMessage> Reveal(HttpClient party, string roundId, byte[] seed) => LotteryScenario.Reveal(party, roundId, seed);

    [Fact]
    public async Task DrawFromFrozenPoolPublishesAProtocolThatTheVerifierAccepts()
    {
        var drawn = await FrozenRoundAsync();
        var roundId = drawn.Round.Id;
        await Ok(Reveal(drawn.Ministry, roundId, drawn.MinistrySeed));
        await Ok(Reveal(drawn.Notary, roundId, drawn.NotarySeed));

        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);

        Assert.Equal("Drawn", status.RoundStatus);
        Assert.True(status.Draw!.DrawNeeded);
        using var anyone = api.Anonymous();
        var json = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(status.Draw.ProtocolHash, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json))));
        var protocol = LotteryProtocol.FromJson(json);
        Assert.Equal([LotteryDraw.Commitment(drawn.MinistrySeed), LotteryDraw.Commitment(drawn.NotarySeed)], protocol.Commitments);
        Assert.Equal(6, protocol.Pool.Count);
        Assert.True(protocol.Selected.Sum(id => protocol.Pool.Single(p => p.Id == id).Amount) <= 300_000_00);
        Assert.All(drawn.Applications, a => Assert.DoesNotContain(a.OrganisationKvk, json));
        Assert.All(drawn.Applications, a => Assert.DoesNotContain(a.Id, json));

        var verification = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(verification.Verified, verification.FirstMismatch);

        // Each applicant sees its own outcome, and gets it by mail with its pseudonym.
        var outcomes = new List<ApplicationResponse>();
        foreach (var application in drawn.Applications)
        {
            outcomes.Add(await Read(drawn.Ministry, application.Id));
        }

        Assert.Equal(protocol.Selected.Order(), outcomes.Where(a => a.Status == "Selected").Select(a => a.PoolId!).Order());
        Assert.Equal(protocol.Reserve, outcomes.Where(a => a.Status == "Reserve").OrderBy(a => a.Outcome!.ReservePosition).Select(a => a.PoolId!));
        Assert.All(outcomes, a => Assert.Equal(protocol.Order.Single(o => o.Id == a.PoolId).Rank, a.Outcome!.Rank));
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        foreach (var outcome in outcomes)
        {
            var mail = await api.Smtp.WaitForAsync(m => m.Subject!.Contains(outcome.ReceiptNumber!, StringComparison.Ordinal) && m.Subject.StartsWith("Uitslag loting", StringComparison.Ordinal));
            Assert.Contains(outcome.PoolId!, mail.TextBody);
            Assert.Contains(outcome.Status == "Selected" ? "ingeloot" : "reservelijst", mail.Subject);
        }

        // An auditor downloads the protocol and checks it against the round's announcements, fetched from their public route.
        var file = Path.Combine(Path.GetTempPath(), $"protocol-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json, Ct);
        var announcements = new Uri(anyone.BaseAddress!, $"api/rounds/{roundId}/lottery/announcements").ToString();
        var output = new StringWriter();
        Assert.Equal(0, await LotteryCommand.VerifyAsync(new VerifyRequest(file, Announcements: announcements), output, Ct));
        Assert.StartsWith("verified\n  Matches the announcements of round " + roundId + ": draw 1's commitments (ministry at ", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);

        // One byte changed in the pool — an amount — and the verifier names it.
        var tampered = JsonNode.Parse(json)!;
        tampered["pool"]![0]!["amount"] = tampered["pool"]![0]!["amount"]!.GetValue<long>() + 1;
        await File.WriteAllTextAsync(file, tampered.ToJsonString(), Ct);
        output = new StringWriter();
        Assert.Equal(1, LotteryCommand.Verify(file, output));
        Assert.StartsWith("mismatch: poolHash", output.ToString());
        File.Delete(file);
    }

    [Fact]
    public async Task CommitmentsAndThePoolAreAnnouncedWhenTheyExistAndADrawRebuiltAroundAnotherSeedFailsAgainstThem()
    {
        var drawn = await FrozenRoundAsync();
        var roundId = drawn.Round.Id;
        using var anyone = api.Anonymous();

        // Before any reveal: both commitments, timestamped, and the pool hash with the round's budget are public.
        var before = LotteryAnnouncements.FromJson(await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/announcements", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal([(1, 0, "ministry", LotteryDraw.Commitment(drawn.MinistrySeed)), (1, 1, "notary", LotteryDraw.Commitment(drawn.NotarySeed))],
            before.Commitments.Select(c => (c.Draw, c.Index, c.Party, c.Commitment)));
        var frozen = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/pool", Ct)).ReadAsync<PoolResponse>();
        Assert.Equal((frozen.PoolHash, 6, "skip", 300_000_00L), (before.Pool!.PoolHash, before.Pool.PoolSize, before.Pool.Design.Rule, before.Pool.Design.Budget));
        Assert.All(before.Commitments, c => Assert.True(c.At <= before.Pool.At, "committed before the pool froze"));

        await _scenario.RevealBothAsync(drawn);
        await Ok(drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct));
        var json = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct);
        var published = LotteryProtocol.FromJson(json);

        // The same pool, drawn again around a seed nobody committed to before the draw: consistent in itself, and so verified
        // by a check of the protocol alone, but not against the announcements.
        var rebuilt = LotteryProtocol.Draw(roundId, published.Pool.Select(p => new DrawEntry(p.Id, p.Stratum, p.Amount)), [drawn.MinistrySeed, RandomNumberGenerator.GetBytes(32)],
            published.Design, published.Simulations, published.DrawnAt, published.AnalysisPlanHash!);
        var file = Path.Combine(Path.GetTempPath(), $"rebuilt-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, rebuilt.ToJson(), Ct);
        var announcements = new Uri(anyone.BaseAddress!, $"api/rounds/{roundId}/lottery/announcements").ToString();
        Assert.Equal(0, LotteryCommand.Verify(file, new StringWriter()));
        var output = new StringWriter();
        Assert.Equal(1, await LotteryCommand.VerifyAsync(new VerifyRequest(file, Announcements: announcements), output, Ct));
        Assert.StartsWith($"mismatch: commitments[1]: announced for draw 1 {LotteryDraw.Commitment(drawn.NotarySeed)}, the protocol has {rebuilt.Commitments[1]}", output.ToString());
        File.Delete(file);

        // The announcements stand after the draw exactly as they were before it.
        var after = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/announcements", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(before.ToJson(), after);
    }

    /// <summary>
    /// Anyone may ask for a recomputation, which costs seconds of CPU for a large pool. A protocol never
    /// changes, so each is recomputed once: a second request does not even read it.
    /// </summary>
    [Fact]
    public async Task AVerificationIsComputedOncePerProtocol()
    {
        var drawn = await FrozenRoundAsync();
        var roundId = drawn.Round.Id;
        await _scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        var first = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(first.Verified, first.FirstMismatch);

        // Take the protocol away underneath: a request that recomputed would have to read it.
        var protocols = await api.Storage().ContainerAsync(ContainerNames.Protocols, Ct);
        await protocols.DeleteBlobAsync($"{roundId}/{status.Draw!.ProtocolHash}.json", cancellationToken: Ct);

        var second = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/lottery/verify", Ct)).ReadAsync<VerificationResponse>();
        Assert.True(second.Verified, second.FirstMismatch);
        Assert.Equal(status.Draw.ProtocolHash, second.ProtocolHash);
    }

    /// <summary>The protocol hash becomes part of a blob name: only this round's own protocol hashes, in their exact form, name one.</summary>
    [Fact]
    public async Task AProtocolHashNamesNothingButThisRoundsProtocols()
    {
        var drawn = await FrozenRoundAsync();
        var roundId = drawn.Round.Id;
        await _scenario.RevealBothAsync(drawn);
        await Ok(drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct));
        var pool = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/pool", Ct)).ReadAsync<PoolResponse>();
        using var anyone = api.Anonymous();

        foreach (var hostile in new[] { $"../../pools/{roundId}/{pool.PoolHash}", $"..%2F..%2Fpools%2F{roundId}%2F{pool.PoolHash}", pool.PoolHash.ToUpperInvariant(), $"{pool.PoolHash}.json", "" })
        {
            var response = await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol?protocolHash={hostile}", Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{hostile}: {(int)response.StatusCode} {body}");
            Assert.All(drawn.Applications, a => Assert.DoesNotContain(a.Id, body, StringComparison.Ordinal));
        }

        // Well-formed, but not one of this round's protocols: the pool's own hash, another round's draw.
        var other = await new LotteryScenario(api).FrozenRoundAsync();
        await new LotteryScenario(api).RevealBothAsync(other);
        var otherDraw = await (await other.Ministry.PostAsync($"api/rounds/{other.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(other.Ministry);
        foreach (var stranger in new[] { pool.PoolHash, otherDraw.Draw!.ProtocolHash })
        {
            await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol?protocolHash={stranger}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
    }

    [Fact]
    public async Task RevealThatDoesNotMatchItsCommitmentIsRefused()
    {
        var drawn = await FrozenRoundAsync();

        var response = await Reveal(drawn.Notary, drawn.Round.Id, RandomNumberGenerator.GetBytes(32));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Contains("does not match", problem.GetProperty("errors").GetProperty("seed")[0].GetString());
        var status = await (await api.Anonymous().GetAsync($"api/rounds/{drawn.Round.Id}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        Assert.All(status.Commitments, c => Assert.False(c.Revealed));
    }

    [Fact]
    public async Task DrawWaitsForEveryCommittedParty()
    {
        var drawn = await FrozenRoundAsync();
        await Ok(Reveal(drawn.Ministry, drawn.Round.Id, drawn.MinistrySeed));

        var response = await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
    }

    [Fact]
    public async Task CommitmentAfterClosingIsRefused()
    {
        var drawn = await FrozenRoundAsync();
        using var lateNotary = api.As(Roles.Notary, subject: "another-notary");
        var response = await lateNotary.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(new string('a', 64))), Ct);
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task PublishedDrawCannotBeRedrawn()
    {
        var drawn = await FrozenRoundAsync();
        await _scenario.RevealBothAsync(drawn);
        await Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));

        var response = await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/redraw", HttpAssertions.Json(new RedrawRequest("We prefer other winners.")), Ct);

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Contains("published draw stands", problem.GetProperty("errors").GetProperty("draw")[0].GetString());
    }

    [Fact]
    public async Task DrawingAgainAnswers409SayingThePublishedDrawStandsWhileARetryOfTheFirstDrawAnswersAlike()
    {
        var drawn = await FrozenRoundAsync();
        await _scenario.RevealBothAsync(drawn);
        HttpRequestMessage Draw(string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"api/rounds/{drawn.Round.Id}/lottery/draw");
            request.Headers.Add(Grants.Functions.Platform.Http.IdempotentRequests.HeaderName, key);
            return request;
        }

        var first = await drawn.Ministry.SendAsync(Draw("draw-once"), Ct);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        var retried = await drawn.Ministry.SendAsync(Draw("draw-once"), Ct);
        Assert.Equal((HttpStatusCode.Accepted, firstBody, first.Headers.Location), (retried.StatusCode, await retried.Content.ReadAsStringAsync(Ct), retried.Headers.Location));

        var again = await drawn.Ministry.SendAsync(Draw("draw-twice"), Ct);

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("already been drawn", detail);
        Assert.Contains("published draw stands", detail);
        var status = await (await api.Anonymous().GetAsync($"api/rounds/{drawn.Round.Id}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        Assert.Equal("Drawing", System.Text.Json.JsonSerializer.Deserialize<LotteryStatusResponse>(firstBody, System.Text.Json.JsonSerializerOptions.Web)!.RoundStatus);
        Assert.Equal(("Drawn", false), (status.RoundStatus, status.Draw!.HeldForBalance));
        Assert.Empty(status.Superseded);
    }

    [Fact]
    public async Task TopUpSelectsExactlyTheNextEntriesOfTheReserveListAndStaysVerifiable()
    {
        var drawn = await FrozenRoundAsync();
        await _scenario.RevealBothAsync(drawn);
        await Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        using var anyone = api.Anonymous();
        var drawnJson = await (await anyone.GetAsync($"api/rounds/{drawn.Round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct);
        var before = LotteryProtocol.FromJson(drawnJson);
        var amounts = before.Pool.ToDictionary(p => p.Id, p => p.Amount);
        var selectedAmount = before.Selected.Sum(id => amounts[id]);
        // Enough for at least the first on the reserve list; the round's rule is skip, so later ones that fit follow.
        var topUp = amounts[before.Reserve[0]];
        var expected = new List<string>();
        var headroom = 300_000_00 + topUp - selectedAmount;
        foreach (var id in before.Reserve)
        {
            if (amounts[id] <= headroom)
            {
                expected.Add(id);
                headroom -= amounts[id];
            }
        }

        var preview = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/budget/top-ups/preview", HttpAssertions.Json(new TopUpRequest(topUp, "Extra funds from the ESF reserve")), Ct)).ReadAsync<CutoffChangeResponse>();
        Assert.False(preview.Applied);
        Assert.Equal(expected, preview.NewlySelected);

        // The move is recorded at once; the newly selected are booked and told in the background, whose operation the Location names.
        var answer = await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/budget/top-ups", HttpAssertions.Json(new TopUpRequest(topUp, "Extra funds from the ESF reserve")), Ct);
        var applied = await answer.ReadAsync<CutoffChangeResponse>(HttpStatusCode.Accepted);
        Assert.Equal($"/api/operations/op-cutoff-move-{drawn.Round.Id}-{applied.ProtocolHash![..16]}", answer.Headers.Location?.OriginalString);
        var moving = await (await drawn.Ministry.GetAsync(answer.Headers.Location, Ct)).ReadAsync<Grants.Contracts.Operations.OperationResponse>();
        Assert.Equal(("cutoff-move", "Succeeded", expected.Count, expected.Count), (moving.Kind, moving.Status, moving.Total, moving.Done));

        Assert.True(applied.Applied);
        Assert.Equal(expected, applied.NewlySelected);
        Assert.Equal(before.Reserve.Count - expected.Count, applied.ControlAfter);
        // The move is published as a cut-off document of its own, under the hash the answer gives, extending the draw's
        // protocol as published: it lists the change and whom it selected, not the order again.
        var documentJson = await (await anyone.GetAsync($"api/rounds/{drawn.Round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(applied.ProtocolHash, ProtocolStore.HashOf(documentJson));
        var document = CutoffDocument.FromJson(documentJson);
        Assert.Equal((drawn.Round.Id, ProtocolStore.HashOf(drawnJson)), (document.RoundId, document.Extends));
        Assert.Equal(expected, Assert.Single(document.CutoffHistory).NewlySelected);
        Assert.DoesNotContain("\"order\"", documentJson, StringComparison.Ordinal);
        var after = await LotteryScenario.PublishedProtocolAsync(anyone, drawn.Round.Id);
        var change = Assert.Single(after.CutoffHistory);
        Assert.Equal(("top-up", topUp), (change.Kind, change.BudgetChange));
        Assert.Equal(expected, change.NewlySelected);
        // The round's audit names the version and counts whom it selected; the list is in the version, so the event does not grow with the pool.
        var moved = Assert.Single(await new AggregateStore(api.Storage(), TimeProvider.System).AuditTrailAsync(drawn.Round.Id, Ct), e => e.Type == "CutoffMoved");
        var payload = System.Text.Json.JsonDocument.Parse(moved.Payload).RootElement;
        Assert.Equal((expected.Count, applied.ProtocolHash), (payload.GetProperty("newlySelectedCount").GetInt32(), payload.GetProperty("protocolHash").GetString()));
        Assert.False(payload.TryGetProperty("newlySelected", out _));
        Assert.True((await (await anyone.GetAsync($"api/rounds/{drawn.Round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>()).Verified);
        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(300_000_00 + topUp, budget.CeilingCents);
        Assert.Equal(after.Selected.Sum(id => amounts[id]), budget.ReservedCents);
        Assert.True(budget.ReservedCents + budget.CommittedCents <= budget.CeilingCents);
        foreach (var application in drawn.Applications)
        {
            var read = await Read(drawn.Ministry, application.Id);
            Assert.Equal(after.Selected.Contains(read.PoolId!) ? "Selected" : "Reserve", read.Status);
        }
    }

    [Fact]
    public async Task TopUpLeavingTooSmallAControlGroupIsRefusedUnlessConfirmed()
    {
        var drawn = await _scenario.FrozenRoundAsync(minimumControlGroup: 3);
        await _scenario.RevealBothAsync(drawn);
        await Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var everyone = new TopUpRequest(1_000_000_00, "Raise the budget so that every eligible application is funded");

        var refused = await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/budget/top-ups", HttpAssertions.Json(everyone), Ct);

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, "control-group-too-small");
        Assert.Equal(0, problem.GetProperty("impact").GetProperty("controlAfter").GetInt32());
        Assert.Contains("minimum 3", problem.GetProperty("detail").GetString());
        var unchanged = await (await api.Anonymous().GetAsync($"api/rounds/{drawn.Round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Empty(LotteryProtocol.FromJson(unchanged).CutoffHistory);

        var confirmed = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/budget/top-ups", HttpAssertions.Json(everyone with { ConfirmSmallControlGroup = true }), Ct)).ReadAsync<CutoffChangeResponse>(HttpStatusCode.Accepted);
        Assert.Equal((true, 0), (confirmed.Applied, confirmed.ControlAfter));
    }

    [Fact]
    public async Task WithdrawalOfASelectedApplicationSelectsTheNextOnTheList()
    {
        var drawn = await FrozenRoundAsync();
        await _scenario.RevealBothAsync(drawn);
        await Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        using var anyone = api.Anonymous();
        var before = LotteryProtocol.FromJson(await (await anyone.GetAsync($"api/rounds/{drawn.Round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct));
        var leaving = (await Task.WhenAll(drawn.Applications.Select(a => Read(drawn.Ministry, a.Id)))).First(a => a.Status == "Selected");
        using var owner = api.As(Roles.Applicant, organisation: leaving.OrganisationKvk);

        await Ok(owner.PostAsync($"api/applications/{leaving.Id}/withdraw", HttpAssertions.Json(new WithdrawApplicationRequest("Our director left; the project cannot go ahead.")), Ct));

        var after = await LotteryScenario.PublishedProtocolAsync(anyone, drawn.Round.Id);
        var change = Assert.Single(after.CutoffHistory);
        Assert.Equal("withdrawal", change.Kind);
        Assert.Equal([leaving.PoolId!], change.Released);
        Assert.DoesNotContain(leaving.PoolId!, after.Selected);
        Assert.All(change.NewlySelected, id => Assert.Contains(id, before.Reserve));
        Assert.True((await (await anyone.GetAsync($"api/rounds/{drawn.Round.Id}/lottery/verify", Ct)).ReadAsync<VerificationResponse>()).Verified);
        var budget = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        var amounts = after.Pool.ToDictionary(p => p.Id, p => p.Amount);
        Assert.Equal(after.Selected.Sum(id => amounts[id]), budget.ReservedCents);
    }
}

/// <summary>A draw whose balance check flags an imbalance waits for ministry staff, unseen by the public and by applicants.</summary>
public sealed class HeldLotteryTests(StrictBalanceGrantsApi api) : IClassFixture<StrictBalanceGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SurprisingImbalanceHoldsPublicationUntilMinistryConfirms()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        var roundId = drawn.Round.Id;
        await scenario.RevealBothAsync(drawn);

        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);

        Assert.True(status.Draw!.HeldForBalance);
        Assert.Null(status.Draw.PublishedAt);
        using var anyone = api.Anonymous();
        await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/verify", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var balance = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/lottery/balance", Ct)).ReadAsync<BalanceReportResponse>();
        Assert.True(balance.HoldsPublication);
        Assert.Contains(balance.Groups, g => g.Surprising);
        foreach (var application in drawn.Applications)
        {
            Assert.Equal("InPool", (await scenario.Read(drawn.Ministry, application.Id)).Status);
        }

        var published = await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/publish",
            HttpAssertions.Json(new ConfirmPublicationRequest("Six applications from one sector on one day: the imbalance is the pool's, not the draw's.")), Ct)).ReadAsync<LotteryStatusResponse>(HttpStatusCode.Accepted);

        Assert.NotNull(published.Draw!.PublishedAt);
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol", Ct)).StatusCode);
        foreach (var application in drawn.Applications)
        {
            Assert.Contains((await scenario.Read(drawn.Ministry, application.Id)).Status, new[] { "Selected", "Reserve" });
        }
    }

    [Fact]
    public async Task DrawingAHeldDrawAgainAnswers409NamingTheRedraw()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        var first = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        Assert.True(first.Draw!.HeldForBalance);

        var again = await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct);

        var detail = (await again.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition")).GetProperty("detail").GetString();
        Assert.Contains("already been drawn", detail);
        Assert.Contains("re-draw", detail);
        var status = await (await drawn.Ministry.GetAsync($"api/rounds/{drawn.Round.Id}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        Assert.Equal(first.Draw.ProtocolHash, status.Draw!.ProtocolHash);
    }

    [Fact]
    public async Task RedrawIsALoggedReasonedEventAndNeedsNewCommitments()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        var roundId = drawn.Round.Id;
        await scenario.RevealBothAsync(drawn);
        var first = await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);

        await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/redraw", HttpAssertions.Json("""{"reason":""}"""), Ct))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var redrawn = await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/redraw",
            HttpAssertions.Json(new RedrawRequest("The notary's seed leaked before the pool froze.")), Ct)).ReadAsync<LotteryStatusResponse>();

        Assert.Equal("PoolFrozen", redrawn.RoundStatus);
        Assert.Empty(redrawn.Commitments);
        var superseded = Assert.Single(redrawn.Superseded);
        Assert.Equal((first.Draw!.ProtocolHash, "The notary's seed leaked before the pool froze."), (superseded.ProtocolHash, superseded.SupersededReason));
        await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        using var auditor = api.As(Roles.Auditor);
        var trail = await (await auditor.GetAsync($"api/audit/{roundId}", Ct)).ReadAsync<AuditTrailResponse>();
        var logged = Assert.Single(trail.Events, e => e.Type == "LotteryRedrawn");
        Assert.Contains("seed leaked", logged.Payload);
        // The set-aside protocol stays published.
        var old = await api.Anonymous().GetAsync($"api/rounds/{roundId}/lottery/protocol?protocolHash={first.Draw.ProtocolHash}", Ct);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);

        // The second draw takes new commitments; the announcements keep the first draw's, and say it was set aside and why.
        var again = await scenario.CommitAgainAsync(drawn);
        await scenario.RevealBothAsync(again);
        var second = await (await drawn.Ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        using var anyone = api.Anonymous();
        var announcementsJson = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/announcements", Ct)).Content.ReadAsStringAsync(Ct);
        var announcements = LotteryAnnouncements.FromJson(announcementsJson);
        Assert.Equal([1, 1, 2, 2], announcements.Commitments.Select(c => c.Draw));
        Assert.Equal([LotteryDraw.Commitment(again.MinistrySeed), LotteryDraw.Commitment(again.NotarySeed)], announcements.CommitmentsOf(2).Select(c => c.Commitment));
        var setAside = Assert.Single(announcements.SetAside);
        Assert.Equal((1, first.Draw.ProtocolHash, "The notary's seed leaked before the pool froze."), (setAside.Draw, setAside.ProtocolHash, setAside.Reason));

        var dir = Directory.CreateTempSubdirectory("verify-").FullName;
        var announcementsFile = Path.Combine(dir, "announcements.json");
        await File.WriteAllTextAsync(announcementsFile, announcementsJson, Ct);
        foreach (var (hash, expected) in new[] { (second.Draw!.ProtocolHash, "draw 2's commitments"), (first.Draw.ProtocolHash, "This draw was set aside at ") })
        {
            var file = Path.Combine(dir, $"{hash}.json");
            // Every draw of this class is held by the balance check, so ministry staff fetch the second one.
            var json = await (await drawn.Ministry.GetAsync($"api/rounds/{roundId}/lottery/protocol?protocolHash={hash}", Ct)).Content.ReadAsStringAsync(Ct);
            await File.WriteAllTextAsync(file, json, Ct);
            // The re-draw carries the analysis plan committed when the round opened, as the draw it replaced did.
            Assert.Equal(announcements.AnalysisPlan!.PlanHash, LotteryProtocol.FromJson(json).AnalysisPlanHash);
            var output = new StringWriter();
            Assert.True(await LotteryCommand.VerifyAsync(new VerifyRequest(file, Announcements: announcementsFile), output, Ct) == 0, output.ToString());
            Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
        }

        Directory.Delete(dir, recursive: true);
    }
}

/// <summary>
/// The steps every lottery test takes: a frozen, oversubscribed round with ministry and notary
/// commitments, revealed, and its award. Its POSTs go through <paramref name="post"/> when given (a
/// test may send each of them more than once).
/// </summary>
public sealed class LotteryScenario(GrantsHost api, Func<HttpClient, string, HttpContent?, Task<HttpResponseMessage>>? post = null)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record DrawnRound(RoundResponse Round, byte[] MinistrySeed, byte[] NotarySeed, HttpClient Ministry, HttpClient Notary, List<ApplicationResponse> Applications);

    /// <summary>
    /// The round's protocol as its current version leaves it, read as an outside reader must: the version as published, and
    /// when that is a cut-off document, the protocol it extends fetched by the hash it names (which the bytes must have)
    /// with the document's changes replayed on it.
    /// </summary>
    /// <param name="protocolHash">A version by its hash; the current one when null.</param>
    public static async Task<LotteryProtocol> PublishedProtocolAsync(HttpClient anyone, string roundId, string? protocolHash = null)
    {
        var current = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol{(protocolHash is null ? "" : $"?protocolHash={protocolHash}")}", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.True(protocolHash is null || ProtocolStore.HashOf(current) == protocolHash);
        if (!CutoffDocument.IsOne(System.Text.Encoding.UTF8.GetBytes(current)))
        {
            return LotteryProtocol.FromJson(current);
        }

        var document = CutoffDocument.FromJson(current);
        var extended = await (await anyone.GetAsync($"api/rounds/{roundId}/lottery/protocol?protocolHash={document.Extends}", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(document.Extends, ProtocolStore.HashOf(extended));
        return document.Apply(LotteryProtocol.FromJson(extended));
    }

    /// <summary>
    /// A round of six requests for a ceiling that funds about half, with ministry and notary commitments posted while open; frozen, not yet revealed.
    /// The applicants write in Dutch, or in <paramref name="languages"/> one by one.
    /// </summary>
    /// <param name="adjust">Changes to the round's configuration beyond the ceiling, maximum and minimum control group (an analysis plan).</param>
    public async Task<DrawnRound> FrozenRoundAsync(int minimumControlGroup = 0, long ceilingCents = 300_000_00, long[]? amounts = null, IReadOnlyList<string>? languages = null,
        Func<RoundConfigurationDto, RoundConfigurationDto>? adjust = null)
    {
        var round = await api.OpenRoundAsync(adjust: c =>
        {
            var configured = c with { BudgetCeilingCents = ceilingCents, MaxPerApplicationCents = 120_000_00, MinimumControlGroup = minimumControlGroup };
            return adjust?.Invoke(configured) ?? configured;
        });
        var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var notary = api.As(Roles.Notary, subject: "notaris-de-boer");
        var (ministrySeed, notarySeed) = await CommitFreshSeedsAsync(round.Id, ministry, notary);

        var applications = new List<ApplicationResponse>();
        foreach (var amount in amounts ?? [120_000_00, 95_000_00, 110_000_00, 60_000_00, 80_000_00, 45_000_00])
        {
            using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk(), language: languages?[applications.Count] ?? "nl");
            applications.Add(await applicant.SubmittedAsync(round.Id, GrantBuilders.Content(amountCents: amount)));
        }

        await Ok(PostAsync(ministry, $"api/rounds/{round.Id}/close", null));
        foreach (var application in applications)
        {
            await Ok(PostAsync(ministry, $"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible"))));
        }

        await Ok(PostAsync(ministry, $"api/rounds/{round.Id}/pool/freeze", null));
        return new DrawnRound(round, ministrySeed, notarySeed, ministry, notary, applications);
    }

    public static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>Ministry and notary commit to fresh seeds (as after a re-draw); the round to reveal them in is returned.</summary>
    public async Task<DrawnRound> CommitAgainAsync(DrawnRound drawn)
    {
        var (ministrySeed, notarySeed) = await CommitFreshSeedsAsync(drawn.Round.Id, drawn.Ministry, drawn.Notary);
        return drawn with { MinistrySeed = ministrySeed, NotarySeed = notarySeed };
    }

    private async Task<(byte[] Ministry, byte[] Notary)> CommitFreshSeedsAsync(string roundId, HttpClient ministry, HttpClient notary)
    {
        var seeds = (Ministry: RandomNumberGenerator.GetBytes(32), Notary: RandomNumberGenerator.GetBytes(32));
        await Ok(PostAsync(ministry, $"api/rounds/{roundId}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seeds.Ministry)))));
        await Ok(PostAsync(notary, $"api/rounds/{roundId}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seeds.Notary)))));
        return seeds;
    }

    public async Task RevealBothAsync(DrawnRound drawn)
    {
        await Ok(PostAsync(drawn.Ministry, $"api/rounds/{drawn.Round.Id}/lottery/reveals", RevealOf(drawn.MinistrySeed)));
        await Ok(PostAsync(drawn.Notary, $"api/rounds/{drawn.Round.Id}/lottery/reveals", RevealOf(drawn.NotarySeed)));
    }

    public async Task<ApplicationResponse> Read(HttpClient client, string applicationId) =>
        await (await client.GetAsync($"api/applications/{applicationId}", Ct)).ReadAsync<ApplicationResponse>();

    /// <summary>Awards the first selected of the drawn applications what it asked, with the second approval where the amount needs one.</summary>
    public async Task<ApplicationResponse> AwardFirstSelectedAsync(IEnumerable<ApplicationResponse> applications)
    {
        HttpClient Ministry() => api.As(Roles.Ministry, subject: "beleidsmedewerker");
        ApplicationResponse? chosen = null;
        foreach (var application in applications)
        {
            var current = await Read(Ministry(), application.Id);
            chosen ??= current.Status == "Selected" ? current : null;
        }

        Assert.NotNull(chosen);
        await AwardAsync(chosen);
        return chosen;
    }

    /// <summary>
    /// The committee assesses the applications and advises positively, as a "lottery then assess" round asks before
    /// any award: the round's committee is constituted if it has none (three members and a chair), the assignment runs
    /// for applications without an assessment, every assigned member scores and the chair advises. Applications the
    /// committee has advised on already are left as they are.
    /// </summary>
    public async Task AssessAsync(string roundId, params IReadOnlyList<string> applicationIds)
    {
        var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var committee = await CommitteeAsync(roundId);
        var missing = false;
        foreach (var id in applicationIds)
        {
            missing |= (await ministry.GetAsync($"api/assessments/assessment-{id}", Ct)).StatusCode == HttpStatusCode.NotFound;
        }

        if (missing)
        {
            await Ok(PostAsync(ministry, $"api/rounds/{roundId}/assessments/assign", null));
        }

        async Task AdviseAsync(string applicationId)
        {
            var assessment = await (await ministry.GetAsync($"api/assessments/assessment-{applicationId}", Ct)).ReadAsync<AssessmentResponse>();
            if (assessment.Advice is not null)
            {
                return;
            }

            foreach (var member in assessment.Members.Where(m => assessment.Sheets.All(s => s.Member != m)))
            {
                await Ok(PostAsync(api.As(Roles.Assessor, subject: member), $"api/assessments/{assessment.Id}/scores", HttpAssertions.Json(new SubmitScoresRequest(
                    [.. committee.Criteria.Select(c => new ScoreDto(c.Code, c.MaxScore, $"{c.Name}: the plan's milestones and the works council's part in them."))]))));
            }

            await Ok(PostAsync(api.As(Roles.Assessor, subject: committee.Chair), $"api/assessments/{assessment.Id}/advice", HttpAssertions.Json(new AdviceRequest(true, "Fundable: a sound plan."))));
        }

        if (post is null)
        {
            await Task.WhenAll(applicationIds.Select(AdviseAsync));
            return;
        }

        foreach (var id in applicationIds)
        {
            await AdviseAsync(id);
        }
    }

    /// <summary>The round's committee, constituted now (three members, a chair, two criteria) when it has none yet.</summary>
    public async Task<CommitteeResponse> CommitteeAsync(string roundId)
    {
        var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var existing = await ministry.GetAsync($"api/rounds/{roundId}/committee", Ct);
        if (existing.StatusCode != HttpStatusCode.NotFound)
        {
            return await existing.ReadAsync<CommitteeResponse>();
        }

        var suffix = roundId[^6..];
        return await (await ministry.PutAsync($"api/rounds/{roundId}/committee", HttpAssertions.Json(new SetCommitteeRequest($"voorzitter-{suffix}",
            [$"anna-{suffix}", $"bram-{suffix}", $"cees-{suffix}"],
            [new CriterionDto("fit", "Fit with the themes", 1, 5, 1), new CriterionDto("quality", "Quality of the plan", 1, 5, 2)], 3.0)), Ct)).ReadAsync<CommitteeResponse>();
    }

    /// <summary>Awards the application what it asked — assessed first (<see cref="AssessAsync"/>) — with the second approval where the amount needs one.</summary>
    public async Task AwardAsync(ApplicationResponse application)
    {
        await AssessAsync(application.RoundId, application.Id);
        var awarded = await (await PostAsync(api.As(Roles.Ministry, subject: "beleidsmedewerker"), $"api/applications/{application.Id}/award",
            HttpAssertions.Json(new AwardRequest(application.Content.RequestedAmountCents)))).ReadAsync<ApplicationResponse>();
        if (awarded.Status == "AwardProposed")
        {
            await Ok(PostAsync(api.As(Roles.Ministry, subject: "teamleider"), $"api/applications/{application.Id}/award/approve", null));
        }
    }

    public static Task<HttpResponseMessage> Reveal(HttpClient party, string roundId, byte[] seed) =>
        party.PostAsync($"api/rounds/{roundId}/lottery/reveals", RevealOf(seed), Ct);

    private static HttpContent RevealOf(byte[] seed) => HttpAssertions.Json(new RevealSeedRequest(Convert.ToHexStringLower(seed)));

    private Task<HttpResponseMessage> PostAsync(HttpClient client, string url, HttpContent? content) =>
        post is null ? client.PostAsync(url, content, Ct) : post(client, url, content);
}

using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Contracts.Operations;
using Grants.Contracts.Organisations;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Contracts.Vouchers;
using Grants.Domain.Applications;
using Grants.Domain.Auditing;
using Grants.Domain.Lottery;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Tests.Lottery;
using Grants.Functions.Vouchers;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// Commands under storage faults (10% of calls fail before sending, 10% lose their response after the
/// service committed), 32 requests in flight. Clients retry what was not acknowledged with the same
/// Idempotency-Key; afterwards storage is read with the faults off: everything acknowledged is
/// there, exactly once.
/// </summary>
public sealed partial class FaultInjectionTests(FaultyGrantsApi api) : IClassFixture<FaultyGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverySubmissionUnderFaultsIsStoredExactlyOnce()
    {
        var round = await api.OpenRoundAsync();
        var kvks = Enumerable.Range(0, ReliabilitySize.Submissions).Select(_ => GrantBuilders.NewKvk()).ToList();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, ApplicationResponse>();
        var attempts = 0L;

        await api.UnderFaultsAsync(() => Parallel.ForEachAsync(kvks, InFlight, async (kvk, _) =>
        {
            var (submitted, requests) = await ApplyAsync(round.Id, kvk, GrantBuilders.Content());
            acknowledged[kvk] = submitted;
            Interlocked.Add(ref attempts, requests);
        }), $"{kvks.Count} submissions");
        TestContext.Current.TestOutputHelper?.WriteLine($"{attempts} HTTP attempts for {5 * kvks.Count} requests");

        // With the faults off: every acknowledged submission is stored, once, complete, with one receipt mail.
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        var stored = await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"ix_RoundId eq {round.Id}", Ct);
        Assert.Equal(kvks.Count, acknowledged.Count);
        Assert.Equal(kvks.Count, stored.Count);
        Assert.Equal(acknowledged.Values.Select(a => a.Id).Order(), stored.Select(a => a.Id).Order());
        Assert.All(stored, a => Assert.Equal(ApplicationStatus.Submitted, a.State.Status));
        Assert.All(stored, a => Assert.Equal(2, a.State.Attachments.Count));
        Assert.Equal(kvks.Count, stored.Select(a => a.State.ReceiptNumber).Distinct().Count());
        Assert.All(stored, a => Assert.Equal(acknowledged[a.State.Applicant.Kvk].ReceiptNumber, a.State.ReceiptNumber));

        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        await Parallel.ForEachAsync(stored, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (application, ct) =>
        {
            var trail = await store.AuditTrailAsync(application.Id, ct);
            Assert.True(AuditChain.Verify(trail, application.AuditSequence, application.AuditHead).IsIntact, application.Id);
            Assert.Single(trail, e => e.Type == "ApplicationStarted");
            Assert.Single(trail, e => e.Type == "ApplicationSubmitted");
            var mail = 0;
            await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(
                Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {application.Id} and RowKey gt {AggregateStore.OutboxRowPrefix} and RowKey lt {AggregateStore.OutboxRowPrefix + "~"}"),
                select: ["RowKey"], cancellationToken: ct))
            {
                mail++;
            }

            Assert.Equal(1, mail);
        });
    }

    [Fact]
    public async Task AVoucherRushUnderFaultsIssuesEachVoucherOnceAndRedeemsItOnce()
    {
        // A voucher round with budget for V vouchers and 4V applicants (nightly: 2,000 and 8,000).
        const long value = 7_500_00;
        var vouchers = ReliabilitySize.Vouchers;
        var setup = System.Diagnostics.Stopwatch.StartNew();
        var (round, pool) = await DrawnVoucherRoundAsync(vouchers, ReliabilitySize.VoucherClaimants, value);
        TestContext.Current.TestOutputHelper?.WriteLine($"{pool.Count} applied, eligible, drawn in {setup.Elapsed.TotalSeconds:F1} s");
        var selected = pool.Where(a => a.Status == "Selected").ToList();
        Assert.Equal(vouchers, selected.Count);

        // Two staff members award every pool entry at once, under faults: each selected one is awarded
        // once (the other gets 409), nobody beyond the budget is.
        var awards = new System.Collections.Concurrent.ConcurrentBag<(string Id, HttpStatusCode Status)>();
        using var proposer = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        using var colleague = api.As(Roles.Ministry, subject: "collega");
        await api.UnderFaultsAsync(() => Parallel.ForEachAsync(pool.SelectMany(a => new[] { (a.Id, proposer), (a.Id, colleague) }), InFlight, async (award, _) =>
        {
            var outcome = await award.Item2.PostAsync($"api/applications/{award.Id}/award", new AwardRequest(value), $"award-{award.Id}");
            awards.Add((award.Id, outcome.Status));
        }), "awards");

        Assert.Equal(vouchers, awards.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(awards.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.Status));
        Assert.All(selected, a => Assert.Single(awards, w => w.Id == a.Id && w.Status == HttpStatusCode.OK));

        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        var issued = await store.QueryAsync<VoucherData>(VoucherStore.VoucherType, $"ix_RoundId eq {round.Id}", Ct);
        Assert.Equal(vouchers, issued.Count);
        Assert.Equal(selected.Select(a => a.Id).Order(), issued.Select(v => v.State.ApplicationId).Order());
        using var ministry = api.As(Roles.Ministry);
        var budget = await (await ministry.GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal(vouchers * value, budget.CommittedCents);
        Assert.Equal(vouchers, budget.Entries.Count(e => e.Kind == Grants.Domain.Budget.LedgerKinds.Commit));
        Assert.Equal(budget.CeilingCents, budget.AvailableCents + budget.ReservedCents + budget.CommittedCents + budget.PaidCents);

        // Each holder gets its code once; two verified suppliers then claim every voucher at once, under faults.
        setup.Restart();
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        TestContext.Current.TestOutputHelper?.WriteLine($"outbox relayed in {setup.Elapsed.TotalSeconds:F1} s");
        var codes = await CodesByHolderAsync(selected.Select(a => a.OrganisationKvk).ToHashSet());
        Assert.Equal(vouchers, codes.Count);
        var suppliers = await VerifiedSuppliersAsync(2);
        var claims = new System.Collections.Concurrent.ConcurrentBag<(string Code, string Supplier, HttpStatusCode Status)>();
        await api.UnderFaultsAsync(() => Parallel.ForEachAsync(codes.Values.SelectMany(code => suppliers.Select(supplier => (code, supplier))), InFlight, async (claim, _) =>
        {
            using var client = api.As(Roles.Supplier, organisation: claim.supplier, subject: $"supplier-{claim.supplier}");
            var outcome = await client.PostAsync("api/vouchers/claims", new ClaimVoucherRequest(claim.code, value), $"claim-{claim.code}");
            claims.Add((claim.code, claim.supplier, outcome.Status));
        }), "claims");

        Assert.All(codes.Values, code => Assert.Single(claims, c => c.Code == code && c.Status == HttpStatusCode.OK));
        Assert.All(claims.Where(c => c.Status != HttpStatusCode.OK), c => Assert.Equal(HttpStatusCode.Conflict, c.Status));
        var claimed = await store.QueryAsync<VoucherData>(VoucherStore.VoucherType, $"ix_RoundId eq {round.Id}", Ct);
        Assert.All(claimed, v => Assert.Equal(VoucherStatus.Claimed, v.State.Status));
        var winners = claims.Where(c => c.Status == HttpStatusCode.OK).ToDictionary(c => c.Code, c => c.Supplier);
        Assert.All(claimed, v => Assert.Equal(winners[codes[v.State.HolderKvk]], v.State.Claim!.SupplierKvk));

        // Every record's audit trail is intact and says each thing happened once.
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (voucher, ct) =>
        {
            var trail = await store.AuditTrailAsync(voucher.Id, ct);
            Assert.True(AuditChain.Verify(trail, voucher.AuditSequence, voucher.AuditHead).IsIntact, voucher.Id);
            Assert.Equal(["VoucherIssued", "VoucherClaimed"], trail.Select(e => e.Type));
            var application = (await store.FindAsync<ApplicationData>(voucher.State.ApplicationId, ct))!;
            var applicationTrail = await store.AuditTrailAsync(application.Id, ct);
            Assert.True(AuditChain.Verify(applicationTrail, application.AuditSequence, application.AuditHead).IsIntact, application.Id);
            Assert.Single(applicationTrail, e => e.Type == "AwardDecided");
        });
    }

    /// <summary>
    /// The draw answers at once and its publication runs on the queue; there, recording the outcomes fails after the
    /// first four, so the batch stops halfway: some applicants told, most not. Once storage works again the publication
    /// finishes with every outcome, survey and reservation recorded exactly once: by the host's next delivery, or — when
    /// the batch failed on every delivery and the operation reads Failed — when ministry staff send it again.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADrawWhosePublicationStoppedHalfwayIsFinishedOnceStorageWorksAgain(bool untilEveryDeliveryFailed)
    {
        const long value = 5_000_00;
        var (round, pool) = await DrawnVoucherRoundAsync(vouchers: 3, applicants: 12, value, async (_, roundId) =>
        {
            var outcomeWrites = 0;
            api.Faults.InjectWhere(request => StorageFaults.BodyOf(request).Contains("DrawOutcomeRecorded", StringComparison.Ordinal)
                && Interlocked.Increment(ref outcomeWrites) > 4, failBeforeSend: 1, loseResponse: 0);
            using var staff = api.As(Roles.Ministry, waitForOperations: false);
            OperationResponse? stopped = null;
            var operation = "";
            try
            {
                var drawn = await staff.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct);
                Assert.Equal(HttpStatusCode.Accepted, drawn.StatusCode);
                operation = drawn.Headers.Location!.OriginalString;
                stopped = await UntilAsync(staff, operation, o => untilEveryDeliveryFailed ? o.Status == "Failed" : o.Errors.Count > 0);
            }
            finally
            {
                api.Faults.Inject(0, 0);
            }

            Assert.Equal(untilEveryDeliveryFailed ? "Failed" : "Running", stopped!.Status);
            var told = await new AggregateStore(api.Storage(), TimeProvider.System).QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"ix_RoundId eq {roundId}", Ct);
            Assert.InRange(told.Count(a => a.State.Outcome is not null), 1, 11);
            if (untilEveryDeliveryFailed)
            {
                // Failed stays failed until someone acts: staff send the unfinished work again.
                using var retry = await staff.PostAsync($"{operation}/retry", null, Ct);
                Assert.Equal("Running", (await retry.ReadAsync<OperationResponse>(HttpStatusCode.Accepted)).Status);
            }

            await api.AwaitOperationAsync(operation["/api/operations/".Length..]);
            return await (await staff.GetAsync($"api/rounds/{roundId}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        });

        Assert.Equal(3, pool.Count(a => a.Status == "Selected"));
        Assert.Equal(9, pool.Count(a => a.Status == "Reserve"));
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        foreach (var application in pool)
        {
            Assert.Single(await store.AuditTrailAsync(application.Id, Ct), e => e.Type == "DrawOutcomeRecorded");
        }

        var surveys = await new Grants.Functions.FollowUp.SurveyStore(store).OfRoundAsync(round.Id, Ct);
        Assert.Equal(pool.Select(a => a.Id).SelectMany(id => new[] { (id, 1), (id, 2) }).Order(), surveys.Select(s => (s.State.ApplicationId, s.State.Wave)).Order());
        using var ministry = api.As(Roles.Ministry);
        var budget = await (await ministry.GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((3 * value, 3), (budget.ReservedCents, budget.Entries.Count(e => e.Kind == Grants.Domain.Budget.LedgerKinds.Reserve)));
    }

    /// <summary>
    /// The freeze answers at once and is done on the queue; there storage fails on a step: recording the frozen pool on
    /// the round, after the pool's document was written (the listing), or an application's entry into the pool after
    /// the first four (a batch). Each is delivered again by the host, and the freeze finishes: the round records one
    /// pool, the one it names is the one stored under its hash and drawn from, and every application entered it once.
    /// </summary>
    [Theory]
    [InlineData("\"PoolFrozen\"", 0)]
    [InlineData("EnteredPool", 4)]
    public async Task AFreezeThatFailedOnTheQueueIsFinishedByTheNextDelivery(string failingWrite, int writesFirst)
    {
        var (round, pool) = await DrawnVoucherRoundAsync(vouchers: 3, applicants: 12, 5_000_00, freeze: async roundId =>
        {
            var writes = 0;
            api.Faults.InjectWhere(request => StorageFaults.BodyOf(request).Contains(failingWrite, StringComparison.Ordinal)
                && Interlocked.Increment(ref writes) > writesFirst, failBeforeSend: 1, loseResponse: 0);
            using var staff = api.As(Roles.Ministry, waitForOperations: false);
            var operation = "";
            try
            {
                var asked = await staff.PostAsync($"api/rounds/{roundId}/pool/freeze", null, Ct);
                Assert.Equal("PoolFreezing", (await asked.ReadAsync<RoundResponse>(HttpStatusCode.Accepted)).Status);
                operation = asked.Headers.Location!.OriginalString;
                var stopped = await UntilAsync(staff, operation, o => o.Errors.Count > 0);

                Assert.Contains(stopped.Errors, e => (e.Batch is null) == (writesFirst == 0));
            }
            finally
            {
                api.Faults.Inject(0, 0);
            }

            await api.AwaitOperationAsync(operation["/api/operations/".Length..]);
            var done = await (await staff.GetAsync(operation, Ct)).ReadAsync<OperationResponse>();
            Assert.Equal(("pool-freeze", 12, 12), (done.Kind, done.Total, done.Done));
        });

        using var ministry = api.As(Roles.Ministry);
        var frozen = await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>();
        var stored = await (await ministry.GetAsync($"api/rounds/{round.Id}/pool", Ct)).ReadAsync<PoolResponse>();
        Assert.Equal((frozen.PoolHash, 12), (stored.PoolHash, frozen.PoolSize));
        var protocol = LotteryProtocol.FromJson(await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(frozen.PoolHash, protocol.PoolHash);
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        Assert.Single(await store.AuditTrailAsync(round.Id, Ct), e => e.Type == "PoolFrozen");
        foreach (var application in pool)
        {
            Assert.Single(await store.AuditTrailAsync(application.Id, Ct), e => e.Type == "EnteredPool");
            Assert.Equal(stored.Entries.Single(e => e.ApplicationId == application.Id).Id, application.PoolId);
        }
    }

    /// <summary>
    /// The draw answers at once and is computed on the queue; there storage fails every write that records the draw on
    /// the round, after the protocol was stored. Asked again meanwhile, the draw answers with the same operation: the
    /// round is still Drawing. The host's next delivery finishes it: one draw recorded, its protocol the one stored
    /// under its hash and drawn as of the moment asked (so the delivery that failed and the one that succeeded computed
    /// the same), and every applicant told once.
    /// </summary>
    [Fact]
    public async Task ADrawWhoseRecordFailedOnTheQueueIsFinishedByTheNextDeliveryAndAskingAgainFindsIt()
    {
        var operation = "";
        var (round, pool) = await DrawnVoucherRoundAsync(vouchers: 3, applicants: 12, 5_000_00, async (_, roundId) =>
        {
            api.Faults.InjectWhere(request => StorageFaults.BodyOf(request).Contains("\"LotteryDrawn\"", StringComparison.Ordinal), failBeforeSend: 1, loseResponse: 0);
            using var staff = api.As(Roles.Ministry, waitForOperations: false);
            try
            {
                var asked = await staff.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct);
                Assert.Equal("Drawing", (await asked.ReadAsync<LotteryStatusResponse>(HttpStatusCode.Accepted)).RoundStatus);
                operation = asked.Headers.Location!.OriginalString;
                var stopped = await UntilAsync(staff, operation, o => o.Errors.Count > 0);

                Assert.Contains(stopped.Errors, e => e.Batch is null);
                var again = await staff.PostAsync($"api/rounds/{roundId}/lottery/draw", null, Ct);
                Assert.Equal("Drawing", (await again.ReadAsync<LotteryStatusResponse>(HttpStatusCode.Accepted)).RoundStatus);
                Assert.Equal(asked.Headers.Location, again.Headers.Location);
            }
            finally
            {
                api.Faults.Inject(0, 0);
            }

            await api.AwaitOperationAsync(operation["/api/operations/".Length..]);
            var done = await (await staff.GetAsync(operation, Ct)).ReadAsync<OperationResponse>();
            Assert.Equal(("draw", "Succeeded", 12, 12), (done.Kind, done.Status, done.Total, done.Done));
            return await (await staff.GetAsync($"api/rounds/{roundId}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        });

        using var ministry = api.As(Roles.Ministry);
        var status = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        var json = await (await ministry.GetAsync($"api/rounds/{round.Id}/lottery/protocol", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(status.Draw!.ProtocolHash, Grants.Functions.Lottery.ProtocolStore.HashOf(json));
        Assert.EndsWith(LotteryProtocol.FromJson(json).DrawnAt.UtcTicks.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), operation, StringComparison.Ordinal);
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        Assert.Single(await store.AuditTrailAsync(round.Id, Ct), e => e.Type == "LotteryDrawn");
        Assert.Equal((3, 9), (pool.Count(a => a.Status == "Selected"), pool.Count(a => a.Status == "Reserve")));
        foreach (var application in pool)
        {
            Assert.Single(await store.AuditTrailAsync(application.Id, Ct), e => e.Type == "DrawOutcomeRecorded");
        }
    }

    /// <summary>
    /// A continuation token of the right form that storage does not take for one of its markers (it answers 400) is the
    /// caller's mistake: 422 naming the parameter, not 503 "storage unavailable, retry later".
    /// </summary>
    [Fact]
    public async Task AContinuationTokenStorageRefusesIsAnsweredAsTheCallersMistake()
    {
        var round = await api.OpenRoundAsync();
        foreach (var kvk in new[] { GrantBuilders.NewKvk(), GrantBuilders.NewKvk() })
        {
            using var applicant = await api.RegisteredApplicantAsync(kvk);
            await applicant.SubmittedAsync(round.Id);
        }

        using var ministry = api.As(Roles.Ministry);
        var first = await (await ministry.GetAsync($"api/rounds/{round.Id}/applications?pageSize=1", Ct)).ReadAsync<ApplicationPageResponse>();
        Assert.NotNull(first.ContinuationToken);
        api.Faults.RefuseOnce(r => r.Method == Azure.Core.RequestMethod.Get && r.Uri.Query.Contains("NextPartitionKey", StringComparison.Ordinal), 400);
        var refused = await (await ministry.GetAsync($"api/rounds/{round.Id}/applications?pageSize=1&continuationToken={Uri.EscapeDataString(first.ContinuationToken!)}", Ct))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");

        Assert.False(api.Faults.RefusalPending);
        Assert.True(refused.GetProperty("errors").TryGetProperty("continuationToken", out _), refused.ToString());
    }

    /// <summary>
    /// Health asks storage on every call, not once per process: while every call to the aggregates' table fails it answers
    /// 503 storage-unavailable, and healthy again once storage answers.
    /// </summary>
    [Fact]
    public async Task HealthSaysStorageIsUnavailableWhileItFailsAndHealthyOnceItAnswers()
    {
        using var anyone = api.Anonymous();
        Assert.Equal("reachable", (await (await anyone.GetAsync("api/health", Ct)).ReadAsync<Contracts.Health.HealthResponse>()).Storage);
        api.Faults.InjectWhere(r => r.Uri.Path.Contains($"/{TableNames.Aggregates}", StringComparison.Ordinal), failBeforeSend: 1, loseResponse: 0);
        try
        {
            await (await anyone.GetAsync("api/health", Ct)).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        Assert.Equal("healthy", (await (await anyone.GetAsync("api/health", Ct)).ReadAsync<Contracts.Health.HealthResponse>()).Status);
    }

    /// <summary>
    /// The frozen pool's write is refused with a conflict that is not the pool being there already (as a lease or a
    /// container being deleted would refuse it): the freeze does not take the pool for written, its next delivery writes
    /// it, and the pool is read under the hash the round recorded.
    /// </summary>
    [Fact]
    public async Task APoolWriteRefusedForAnotherReasonIsWrittenByTheNextDelivery()
    {
        var (round, pool) = await DrawnVoucherRoundAsync(vouchers: 1, applicants: 3, 5_000_00, freeze: async roundId =>
        {
            api.Faults.RefuseOnce(r => r.Method == Azure.Core.RequestMethod.Put && r.Uri.Path.Contains($"/{ContainerNames.Pools}/{roundId}/", StringComparison.Ordinal), 409);
            using var staff = api.As(Roles.Ministry);
            await LotteryScenario.Ok(staff.PostAsync($"api/rounds/{roundId}/pool/freeze", null, Ct));
            Assert.False(api.Faults.RefusalPending);
        });

        using var ministry = api.As(Roles.Ministry);
        var frozen = await (await ministry.GetAsync($"api/rounds/{round.Id}/pool", Ct)).ReadAsync<PoolResponse>();
        var recorded = await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>();
        Assert.Equal((recorded.PoolHash, recorded.PoolHash), (frozen.PoolHash, LotteryPool.Hash(frozen.Canonical)));
        Assert.Equal((3, 1), (pool.Count, pool.Count(a => a.Status == "Selected")));
    }

    /// <summary>
    /// A budget top-up answers at once; booking it and telling the newly selected is done on the queue, where telling
    /// them fails after the first two. The host's next delivery finishes it: each newly selected told once, the top-up
    /// and each reservation booked once.
    /// </summary>
    [Fact]
    public async Task ATopUpWhoseSelectionStoppedHalfwayIsFinishedByTheNextDelivery()
    {
        const long value = 5_000_00;
        var (round, _) = await DrawnVoucherRoundAsync(vouchers: 3, applicants: 12, value);
        var told = 0;
        api.Faults.InjectWhere(request => StorageFaults.BodyOf(request).Contains("SelectedFromReserve", StringComparison.Ordinal)
            && Interlocked.Increment(ref told) > 2, failBeforeSend: 1, loseResponse: 0);
        using var staff = api.As(Roles.Ministry, waitForOperations: false);
        var operation = "";
        IReadOnlyList<string> newly = [];
        try
        {
            var raised = await staff.PostAsync($"api/rounds/{round.Id}/budget/top-ups", HttpAssertions.Json(new TopUpRequest(4 * value, "Extra funds from the programme's reserve")), Ct);
            newly = (await raised.ReadAsync<CutoffChangeResponse>(HttpStatusCode.Accepted)).NewlySelected;
            Assert.Equal(4, newly.Count);
            operation = raised.Headers.Location!.OriginalString;
            await UntilAsync(staff, operation, o => o.Errors.Count > 0);
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        await api.AwaitOperationAsync(operation["/api/operations/".Length..]);
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        var applications = await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"ix_RoundId eq {round.Id}", Ct);
        Assert.Equal(7, applications.Count(a => a.State.Status == ApplicationStatus.Selected));
        foreach (var application in applications)
        {
            Assert.Equal(newly.Contains(application.State.PoolId) ? 1 : 0, (await store.AuditTrailAsync(application.Id, Ct)).Count(e => e.Type == "SelectedFromReserve"));
        }

        var budget = await (await staff.GetAsync($"api/rounds/{round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((7 * value, 7, 1), (budget.ReservedCents, budget.Entries.Count(e => e.Kind == Grants.Domain.Budget.LedgerKinds.Reserve),
            budget.Entries.Count(e => e.Kind == Grants.Domain.Budget.LedgerKinds.TopUp)));
    }

    /// <summary>
    /// A file smaller than one block is written in a single call, not staged and committed; when that call's answer is
    /// lost, the SDK's retry finds the blob there and the upload recognises it as its own by its hash.
    /// </summary>
    [Fact]
    public async Task AFileWithinOneBlockIsWrittenInOneCallAndALostAnswerToItIsRecognised()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");
        Assert.Equal(HttpStatusCode.Created, (await applicant.PostAsync("api/organisations", new RegisterOrganisationRequest(
            kvk, $"Organisatie {kvk} BV", "industry", "medium", false, "nl", "P. Jansen", GrantBuilders.ContactEmail(kvk)), $"register-{kvk}")).Status);
        var id = (await applicant.PostAsync($"api/rounds/{round.Id}/applications", new StartApplicationRequest(), $"start-{kvk}")).Json.GetProperty("id").GetString()!;
        var pdf = TestPdf.Create(GrantsHost.AttachmentBlockBytes / 2);
        var writes = 0;
        api.Faults.InjectWhere(request => request.Method == Azure.Core.RequestMethod.Put && request.Uri.Path.Contains($"/{ContainerNames.Attachments}/{id}/", StringComparison.Ordinal)
            && Interlocked.Increment(ref writes) == 1, failBeforeSend: 0, loseResponse: 1);
        RetryingClient.Outcome uploaded;
        try
        {
            uploaded = await applicant.SendAsync(() =>
            {
                var content = new ByteArrayContent(pdf);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                return new HttpRequestMessage(HttpMethod.Put, $"api/applications/{id}/attachments/project-plan?fileName=plan.pdf") { Content = content };
            });
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        Assert.True(uploaded.Succeeded, uploaded.Body);
        Assert.Equal(1, uploaded.Attempts);
        Assert.Equal(2, writes); // the write whose answer was lost and the SDK's retry of it: no block staged, no block list committed
        var attachment = Assert.Single(System.Text.Json.JsonSerializer.Deserialize<ApplicationResponse>(uploaded.Body, System.Text.Json.JsonSerializerOptions.Web)!.Attachments);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), attachment.Sha256);
        var container = await api.Storage().ContainerAsync(ContainerNames.Attachments, Ct);
        var blob = Assert.Single(await container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.Uncommitted, $"{id}/", Ct).ToListAsync(Ct));
        Assert.Equal(pdf, (await container.GetBlobClient(blob.Name).DownloadContentAsync(Ct)).Value.Content.ToArray());
    }

    [Fact]
    public async Task ARelayCrashAfterTheSmtpServerAcceptedSendsTheMailAgainWithTheSameMessageId()
    {
        var (round, kvks) = await UnsentReceiptsAsync(12);

        // Every write that would record a mail as sent fails, after the SMTP server has taken the mail:
        // the relay's state is as if it had died at that moment.
        api.Faults.InjectWhere(RecordsMailAsSent, failBeforeSend: 1, loseResponse: 0);
        try
        {
            await Assert.ThrowsAsync<AggregateException>(() => api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox)));
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        Assert.All(kvks, kvk => Assert.Single(ReceiptsTo(kvk)));
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        Assert.All(kvks, kvk => Assert.Single(ReceiptsTo(kvk))); // claimed by the dead relay until its lease runs out

        api.Advance(TimeSpan.FromMinutes(3));
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        Assert.All(kvks, kvk =>
        {
            var copies = ReceiptsTo(kvk);
            Assert.Equal(2, copies.Count);
            Assert.Single(copies.Select(m => m.MessageId).Distinct());
        });
        Assert.Equal(kvks.Count, kvks.Select(kvk => ReceiptsTo(kvk)[0].MessageId).Distinct().Count());
        Assert.All(await OutboxOfRoundAsync(round.Id), row => Assert.Equal(OutboxStatus.Sent, row.GetString("Status")));
    }

    [Fact]
    public async Task ARelayWhoseRecordOfSendingLostItsResponseGoesOnAndSendsEachMailOnce()
    {
        var (round, kvks) = await UnsentReceiptsAsync(8);

        // The write that records each mail as sent lands, but its response is lost the first time: the SDK's retry meets it.
        var lost = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        api.Faults.InjectWhere(request => RecordsMailAsSent(request) && lost.TryAdd(request.Uri.ToString(), true), failBeforeSend: 0, loseResponse: 1);
        try
        {
            await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        Assert.True(lost.Count >= kvks.Count, $"{lost.Count} responses lost");
        Assert.All(kvks, kvk => Assert.Single(ReceiptsTo(kvk)));
        Assert.All(await OutboxOfRoundAsync(round.Id), row => Assert.Equal((OutboxStatus.Sent, 1), (row.GetString("Status"), row.GetInt32("Attempts"))));
    }

    /// <summary>A round whose applicants' receipts wait in the outbox, after a relay run has cleared what other tests left.</summary>
    private async Task<(RoundResponse Round, List<string> Kvks)> UnsentReceiptsAsync(int applicants)
    {
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        var round = await api.OpenRoundAsync();
        var kvks = Enumerable.Range(0, applicants).Select(_ => GrantBuilders.NewKvk()).ToList();
        foreach (var kvk in kvks)
        {
            await ApplyAsync(round.Id, kvk, GrantBuilders.Content());
        }

        return (round, kvks);
    }

    private static bool RecordsMailAsSent(Azure.Core.Request request) =>
        request.Method == Azure.Core.RequestMethod.Put && request.Uri.ToString().Contains("outbox", StringComparison.Ordinal)
        && StorageFaults.BodyOf(request).Contains($"\"Status\":\"{OutboxStatus.Sent}\"", StringComparison.Ordinal);

    private List<MimeKit.MimeMessage> ReceiptsTo(string kvk) =>
        [.. api.Smtp.Messages.Where(m => m.To.Mailboxes.Single().Address == GrantBuilders.ContactEmail(kvk))];

    /// <summary>Every outbox row of the round's applications.</summary>
    private async Task<List<Azure.Data.Tables.TableEntity>> OutboxOfRoundAsync(string roundId)
    {
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var rows = new List<Azure.Data.Tables.TableEntity>();
        foreach (var application in await new AggregateStore(api.Storage(), TimeProvider.System).QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"ix_RoundId eq {roundId}", Ct))
        {
            rows.AddRange(await table.QueryAsync<Azure.Data.Tables.TableEntity>(
                Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {application.Id} and RowKey gt {AggregateStore.OutboxRowPrefix} and RowKey lt {AggregateStore.OutboxRowPrefix + "~"}"), cancellationToken: Ct).ToListAsync(Ct));
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    /// <summary>Reads the operation's status until <paramref name="reached"/> holds (the faults have shown on it), and returns it.</summary>
    private static async Task<OperationResponse> UntilAsync(HttpClient staff, string operation, Func<OperationResponse, bool> reached)
    {
        while (true)
        {
            await Task.Delay(50, Ct);
            var status = await (await staff.GetAsync(operation, Ct)).ReadAsync<OperationResponse>();
            if (reached(status))
            {
                return status;
            }
        }
    }

    private static ParallelOptions InFlight => new() { MaxDegreeOfParallelism = ReliabilitySize.InFlight, CancellationToken = Ct };

    /// <summary>Registers the organisation, starts, attaches both files and submits, each request retried until final.</summary>
    private async Task<(ApplicationResponse Submitted, int Requests)> ApplyAsync(string roundId, string kvk, ApplicationContentDto content)
    {
        using var applicant = api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");
        var registered = await applicant.PostAsync("api/organisations", new RegisterOrganisationRequest(
            kvk, $"Organisatie {kvk} BV", "industry", "medium", false, "nl", "P. Jansen", GrantBuilders.ContactEmail(kvk)), $"register-{kvk}");
        Assert.True(registered.Status == HttpStatusCode.Created, registered.Body);
        var started = await applicant.PostAsync($"api/rounds/{roundId}/applications", new StartApplicationRequest(content), $"start-{kvk}");
        Assert.True(started.Status == HttpStatusCode.Created, started.Body);
        var id = started.Json.GetProperty("id").GetString()!;
        var plan = await applicant.SendAsync(() => Upload(id, "project-plan", "projectplan.pdf"));
        Assert.True(plan.Succeeded, plan.Body);
        var budget = await applicant.SendAsync(() => Upload(id, "budget", "begroting.pdf"));
        Assert.True(budget.Succeeded, budget.Body);
        var submitted = await applicant.PostAsync($"api/applications/{id}/submit", null, $"submit-{kvk}");
        Assert.True(submitted.Status == HttpStatusCode.OK, submitted.Body);
        return (System.Text.Json.JsonSerializer.Deserialize<ApplicationResponse>(submitted.Body, System.Text.Json.JsonSerializerOptions.Web)!,
            registered.Attempts + started.Attempts + plan.Attempts + budget.Attempts + submitted.Attempts);
    }

    /// <summary>A voucher round with budget for <paramref name="vouchers"/>, that many applicants, closed, all eligible, drawn and published.</summary>
    private async Task<(RoundResponse Round, List<ApplicationResponse> Pool)> DrawnVoucherRoundAsync(
        int vouchers, int applicants, long value, Func<HttpClient, string, Task<LotteryStatusResponse>>? draw = null, Func<string, Task>? freeze = null)
    {
        // The client waits for the draw's operation: the protocol computed and, unless held, every applicant told.
        draw ??= async (ministry, roundId) =>
        {
            var drawn = await ministry.PostAsync($"api/rounds/{roundId}/lottery/draw", null, $"draw-{roundId}");
            Assert.True(drawn.Status == HttpStatusCode.Accepted, drawn.Body);
            return await (await ministry.GetAsync($"api/rounds/{roundId}/lottery", Ct)).ReadAsync<LotteryStatusResponse>();
        };
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var scheme = await (await ministry.PostAsync("api/schemes", HttpAssertions.Json(new CreateSchemeRequest($"Innovation vouchers {Guid.NewGuid():N}"[..28], "Voucher")), Ct)).ReadAsync<SchemeResponse>(HttpStatusCode.Created);
        var configuration = GrantBuilders.Esf2008(api.Clock) with
        {
            Instrument = "Voucher", VoucherValueCents = value, MaxPerApplicationCents = value, BudgetCeilingCents = vouchers * value,
            MinimumControlGroup = 0, Vouchers = new VoucherRulesDto(365, ConsultanciesAllowed: true, MinimumConsultancyReferences: 2),
        };
        var round = await (await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest($"Vouchers {Guid.NewGuid():N}"[..16], configuration)), Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Created);
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/open", null, Ct));
        var seed = RandomNumberGenerator.GetBytes(32);
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/commitments", HttpAssertions.Json(new CommitSeedRequest(LotteryDraw.Commitment(seed))), Ct));
        var phase = System.Diagnostics.Stopwatch.StartNew();
        void Done(string what)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{what}: {phase.Elapsed.TotalSeconds:F1} s");
            phase.Restart();
        }

        var submitted = new System.Collections.Concurrent.ConcurrentBag<ApplicationResponse>();
        await Parallel.ForEachAsync(Enumerable.Range(0, applicants), InFlight, async (_, _) =>
            submitted.Add((await ApplyAsync(round.Id, GrantBuilders.NewKvk(), GrantBuilders.Content(amountCents: value))).Submitted));
        Done($"{applicants} applied");

        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));
        await Parallel.ForEachAsync(submitted, InFlight, async (application, _) =>
            await LotteryScenario.Ok(ministry.PostAsync($"api/applications/{application.Id}/eligibility", HttpAssertions.Json(new DecideEligibilityRequest("eligible")), Ct)));
        Done("closed, eligibility decided");
        await (freeze ?? (roundId => LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{roundId}/pool/freeze", null, Ct))))(round.Id);
        Done("pool frozen");
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/lottery/reveals", HttpAssertions.Json(new RevealSeedRequest(Convert.ToHexStringLower(seed))), Ct));
        var status = await draw(ministry, round.Id);
        if (status.Draw!.HeldForBalance)
        {
            var published = await ministry.PostAsync($"api/rounds/{round.Id}/lottery/publish", new ConfirmPublicationRequest("rush test"), $"publish-{round.Id}");
            Assert.True(published.Status == HttpStatusCode.Accepted, published.Body);
        }

        Done("drawn and published");
        var pool = new System.Collections.Concurrent.ConcurrentBag<ApplicationResponse>();
        await Parallel.ForEachAsync(submitted, InFlight, async (application, _) =>
            pool.Add(await (await ministry.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()));
        return (round, [.. pool]);
    }

    private async Task<Dictionary<string, string>> CodesByHolderAsync(IReadOnlySet<string> holders)
    {
        var codes = new Dictionary<string, string>();
        foreach (var message in api.Smtp.Messages)
        {
            var to = message.To.Mailboxes.Single().Address;
            var kvk = to["contact-".Length..to.IndexOf('@', StringComparison.Ordinal)];
            if (holders.Contains(kvk) && MailText.VoucherCode().Match(message.TextBody ?? "") is { Success: true } code)
            {
                Assert.True(codes.TryAdd(kvk, code.Value), $"{kvk} received a second voucher code");
            }
        }

        return codes;
    }

    private async Task<List<string>> VerifiedSuppliersAsync(int count)
    {
        using var ministry = api.As(Roles.Ministry);
        var suppliers = Enumerable.Range(0, count).Select(_ => GrantBuilders.NewKvk()).ToList();
        foreach (var kvk in suppliers)
        {
            using var supplier = api.As(Roles.Supplier, organisation: kvk, subject: $"supplier-{kvk}");
            await (await supplier.PostAsync("api/suppliers", HttpAssertions.Json(new RegisterSupplierRequest($"Kennisinstelling {kvk}", "knowledge-institution")), Ct)).ReadAsync<SupplierResponse>(HttpStatusCode.Created);
            await LotteryScenario.Ok(ministry.PostAsync($"api/suppliers/{kvk}/verification", null, Ct));
        }

        return suppliers;
    }

    private static HttpRequestMessage Upload(string applicationId, string kind, string fileName)
    {
        var content = new ByteArrayContent(TestPdf.Create(4_000));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return new HttpRequestMessage(HttpMethod.Put, $"api/applications/{applicationId}/attachments/{kind}?fileName={Uri.EscapeDataString(fileName)}") { Content = content };
    }
}

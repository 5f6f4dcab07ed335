using System.Collections.Concurrent;
using System.Net;
using Azure.Storage.Queues;
using Grants.Contracts.Audit;
using Grants.Contracts.Operations;
using Grants.Contracts.Rounds;
using Grants.Functions.Platform.FunctionApp;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Work;
using Grants.Functions.Rounds;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// docs/decisions/0019: round-wide work runs as operations on the work queue, through the local host's queue trigger
/// with the Functions host's semantics; a request answers 202 with the operation's status; whatever is delivered again
/// changes nothing twice; what fails on every delivery is set aside in the poison queue.
/// </summary>
public sealed class BackgroundWorkTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AClosedRoundAnswers202AndItsOperationTellsEveryApplicantOnceWhateverIsDeliveredAgain()
    {
        var round = await api.OpenRoundAsync();
        var kvks = Enumerable.Range(0, 3).Select(_ => GrantBuilders.NewKvk()).ToList();
        foreach (var kvk in kvks)
        {
            using var applicant = await api.RegisteredApplicantAsync(kvk);
            await applicant.SubmittedAsync(round.Id);
        }

        using var staff = api.As(Roles.Ministry, waitForOperations: false);
        var closed = await staff.PostAsync($"api/rounds/{round.Id}/close", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, closed.StatusCode);
        Assert.Equal("Closed", (await closed.ReadAsync<RoundResponse>(HttpStatusCode.Accepted)).Status);
        var operationId = CloseRoundHandler.NoticesOperationId(round.Id);
        Assert.Equal(OperationIds.Location(operationId), closed.Headers.Location!.OriginalString);
        await api.AwaitOperationAsync(operationId);
        var done = await (await staff.GetAsync(closed.Headers.Location, Ct)).ReadAsync<OperationResponse>();
        Assert.Equal(("closure-notices", round.Id, "Succeeded", (int?)3, 3), (done.Kind, done.RoundId, done.Status, done.Total, done.Done));
        Assert.NotNull(done.CompletedAt);
        Assert.InRange(done.ListedAt!.Value, done.CreatedAt, done.CompletedAt!.Value);

        // The listing and the batch delivered again, as after a crash: nobody is told twice, and the listing's time stays the first one's.
        var queue = new QueueClient(api.StorageConnectionString, WorkQueue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await DeliveredAsync(queue, new WorkMessage(operationId).ToJson(), new WorkMessage(operationId, 0).ToJson());
        var again = await (await staff.GetAsync(closed.Headers.Location, Ct)).ReadAsync<OperationResponse>();
        Assert.Equal((done.Status, done.ListedAt, done.CompletedAt), (again.Status, again.ListedAt, again.CompletedAt));
        await api.FireAsync(nameof(RelayOutbox));
        using var auditor = api.As(Roles.Auditor);
        foreach (var kvk in kvks)
        {
            var application = $"app-{round.Id["round-".Length..]}-{kvk}";
            var trail = await (await auditor.GetAsync($"api/audit/{application}", Ct)).ReadAsync<AuditTrailResponse>();
            Assert.Single(trail.Events, e => e.Type == "RoundClosedNoticeSent");
            await api.Smtp.WaitForAsync(m => m.Subject!.Contains(round.Name, StringComparison.Ordinal) && m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk)));
        }

        var roundTrail = await (await auditor.GetAsync($"api/audit/{round.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Single(roundTrail.Events, e => e.Type == "ClosureNoticesSent");
        Assert.Equal(kvks.Count, api.Smtp.Messages.Count(m => m.Subject!.Contains(round.Name, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AMessageThatFailsOnEveryDeliveryIsSetAsideInThePoisonQueue()
    {
        var queue = new QueueClient(api.StorageConnectionString, WorkQueue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var poison = new QueueClient(api.StorageConnectionString, WorkQueue.PoisonName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var marker = Guid.NewGuid().ToString("N");
        // Not a work message: the function refuses it on every delivery.
        await queue.SendMessageAsync($"{{\"operation\":\"op-closure-notices-round-0123456789ab\",\"unexpected\":\"{marker}\"}}", Ct);

        var sent = System.Diagnostics.Stopwatch.StartNew();
        await poison.CreateIfNotExistsAsync(cancellationToken: Ct);
        while ((await poison.PeekMessagesAsync(32, Ct)).Value.All(m => !m.Body.ToString().Contains(marker, StringComparison.Ordinal)))
        {
            Assert.True(sent.Elapsed < TimeSpan.FromSeconds(60), "the message never reached the poison queue");
            await Task.Delay(100, Ct);
        }

        // Set aside only after maxDequeueCount deliveries, each after the failed one's visibility timeout (1 s here).
        Assert.True(sent.Elapsed >= (WorkQueue.MaxDequeueCount - 1) * TimeSpan.FromSeconds(1), $"set aside after {sent.Elapsed}");
        Assert.DoesNotContain((await queue.PeekMessagesAsync(32, Ct)).Value, m => m.Body.ToString().Contains(marker, StringComparison.Ordinal));
    }

    /// <summary>A listing that fails on every delivery (its round is not there) is shown as the operation's error, and the operation as Failed.</summary>
    [Fact]
    public async Task AListingThatFailsOnEveryDeliveryShowsTheOperationFailedWithItsError()
    {
        var missingRound = NewRoundId();
        using var ministry = api.As(Roles.Ministry);
        var status = await FailedAsync(ministry, Grants.Functions.Lottery.PoolFreeze.Kind, missingRound, new string('a', 16));

        var error = Assert.Single(status.Errors);
        Assert.Equal((null, WorkQueue.MaxDequeueCount), (error.Batch, error.Attempts));
        Assert.Contains(missingRound, error.Error, StringComparison.Ordinal);
        Assert.Null(status.Total);
    }

    /// <summary>
    /// Every batch done, the finishing fails on every delivery: the operation reads Failed with that error rather than
    /// Running for ever with every item done, and the operator's retry finishes it once what failed is mended.
    /// </summary>
    [Fact]
    public async Task AFinishingThatFailsOnEveryDeliveryShowsTheOperationFailedAndARetryFinishesIt()
    {
        using var ministry = api.As(Roles.Ministry);
        var status = await FailedAsync(ministry, FinishingThatFails.WorkKind, NewRoundId(), null);

        Assert.Equal((2, (int?)2), (status.Done, status.Total));
        var error = Assert.Single(status.Errors);
        Assert.Equal((null, WorkQueue.MaxDequeueCount), (error.Batch, error.Attempts));
        Assert.Contains("fails, as this work's finishing does", error.Error, StringComparison.Ordinal);

        api.FinishingThatFails.Failing = false;
        var finishedBefore = api.FinishingThatFails.Finished;
        using var retried = await ministry.PostAsync($"api/operations/{status.Id}/retry", null, Ct);
        var done = await (await ministry.GetAsync(OperationIds.Location(status.Id), Ct)).ReadAsync<OperationResponse>();
        Assert.Equal(("Succeeded", 2), (done.Status, done.Done));
        Assert.Empty(done.Errors);
        Assert.True(api.FinishingThatFails.Finished > finishedBefore);
    }

    /// <summary>
    /// Another delivery records its failure on the operation's row while this one lists the items, and again while it
    /// finishes: each write of this delivery meets a row changed since it read it, and the operation still moves on to
    /// Running and then to Succeeded, rather than staying where the failure left it with every item done.
    /// </summary>
    [Fact]
    public async Task AFailureRecordedBesideTheListingAndTheFinishingDoesNotHoldTheOperationBack()
    {
        using var ministry = api.As(Roles.Ministry);
        var id = await api.Host.App.Services.GetRequiredService<BackgroundOperations>().StartAsync(WrittenBeside.WorkKind, NewRoundId(), null, "test", Ct);
        var started = System.Diagnostics.Stopwatch.StartNew();
        OperationResponse status;
        while ((status = await (await ministry.GetAsync(OperationIds.Location(id), Ct)).ReadAsync<OperationResponse>()).Status != "Succeeded")
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"still {status.Status} after a minute, {status.Done} of {status.Total} done");
            await Task.Delay(200, Ct);
        }

        Assert.Equal((2, (int?)2), (status.Done, status.Total));
        Assert.Empty(status.Errors);
    }

    private static string NewRoundId() => $"round-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}";

    /// <summary>Starts an operation of the kind directly and reads its status, as staff would, until it is Failed (within a minute).</summary>
    private async Task<OperationResponse> FailedAsync(HttpClient staff, string kind, string roundId, string? distinction)
    {
        var id = await api.Host.App.Services.GetRequiredService<BackgroundOperations>().StartAsync(kind, roundId, distinction, "test", Ct);
        var started = System.Diagnostics.Stopwatch.StartNew();
        OperationResponse status;
        while ((status = await (await staff.GetAsync(OperationIds.Location(id), Ct)).ReadAsync<OperationResponse>()).Status != "Failed")
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"still {status.Status} after a minute, {status.Done} of {status.Total} done");
            await Task.Delay(200, Ct);
        }

        return status;
    }

    [Fact]
    public async Task AnOperationIsReadByStaffOnlyAndAnUnknownOneIsNotFound()
    {
        var unknown = "op-closure-notices-round-0123456789ab";
        using var ministry = api.As(Roles.Ministry);
        await (await ministry.GetAsync($"api/operations/{unknown}", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        using var applicant = api.As(Roles.Applicant, organisation: GrantBuilders.NewKvk());
        await (await applicant.GetAsync($"api/operations/{unknown}", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var anyone = api.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.GetAsync($"api/operations/{unknown}", Ct)).StatusCode);
    }

    [Fact]
    public void HostJsonSetsTheRetriesTheWorkQueueCountsOn()
    {
        var settings = FunctionAppFiles.ReadQueueSettings(AppContext.BaseDirectory);

        Assert.Equal(WorkQueue.MaxDequeueCount, settings.MaxDequeueCount);
        Assert.Equal("base64", settings.MessageEncoding);
        Assert.Equal(Azure.Storage.Queues.QueueMessageEncoding.Base64, new Grants.Functions.Platform.Storage.StorageClientOptions().Queues.MessageEncoding);
        Assert.Equal((16, 8), (settings.BatchSize, settings.NewBatchThreshold));
        Assert.Equal(BackgroundOperations.MessagesAtOnce, settings.BatchSize);
        Assert.Equal(8, settings.With(new Dictionary<string, string> { ["batchSize"] = "16" }).NewBatchThreshold);
        Assert.Equal(4, new QueueTriggerSettings().With(new Dictionary<string, string> { ["batchSize"] = "8" }).NewBatchThreshold);
        Assert.Throws<InvalidDataException>(() => settings.With(new Dictionary<string, string> { ["maxDequeue"] = "5" }));
    }

    [Theory]
    [InlineData("{\"operation\":\"op-closure-notices-round-0123456789ab\",\"operation\":\"op-closure-notices-round-0123456789ac\"}")]
    [InlineData("{\"Operation\":\"op-closure-notices-round-0123456789ab\"}")]
    [InlineData("{\"operation\":\"op-closure-notices-round-0123456789ab\",\"batch\":1,\"extra\":true}")]
    [InlineData("{\"operation\":\"op-closure-notices-round-0123456789ab\",\"batch\":-1}")]
    [InlineData("{\"operation\":\"round-0123456789ab\"}")]
    [InlineData("{\"operation\":\"op-closure-notices-round-0123456789ab/../x\"}")]
    [InlineData("{\"operation\":\"op-closure-notices-round-0123456789ab\\n\"}")]
    [InlineData("{\"batch\":1}")]
    public void AWorkMessageIsReadStrictly(string text)
    {
        var refused = Assert.ThrowsAny<Exception>(() => WorkMessage.Parse(text));
        Assert.True(refused is System.Text.Json.JsonException or FormatException, $"refused with {refused.GetType().Name}: {refused.Message}");
    }

    [Fact]
    public void AWorkMessageReadsBackAsWritten()
    {
        var message = new WorkMessage("op-draw-publication-round-0123456789ab-0123456789abcdef", 7);
        Assert.Equal(message, WorkMessage.Parse(message.ToJson()));
        Assert.Equal("{\"operation\":\"op-closure-notices-round-0123456789ab\"}", new WorkMessage("op-closure-notices-round-0123456789ab").ToJson());
    }

    [Fact]
    public void ItemsAreBatchedByCountAndBySizeInOrder()
    {
        // Many items fill batches of 100; fewer are spread over the 16 messages the host takes at once, at least 25 a batch.
        foreach (var (count, expected) in new (int, int[])[]
        {
            (2_050, [.. Enumerable.Repeat(100, 20), 50]),
            (800, [.. Enumerable.Repeat(50, 16)]),
            (250, [.. Enumerable.Repeat(25, 10)]),
            (30, [25, 5]),
            (3, [3]),
        })
        {
            var items = Enumerable.Range(0, count).Select(i => $"item-{i:D4}").ToList();
            var batches = BackgroundOperations.Batches(items);
            Assert.Equal(expected, batches.Select(b => b.Count));
            Assert.Equal(items, batches.SelectMany(b => b));
        }

        var large = Enumerable.Range(0, 10).Select(i => new string((char)('a' + i), 9_000)).ToList();
        var bySize = BackgroundOperations.Batches(large);
        Assert.All(bySize, b => Assert.True(System.Text.Json.JsonSerializer.Serialize(b).Length <= BackgroundOperations.MaxBatchCharacters));
        Assert.Equal(large, bySize.SelectMany(b => b));
        Assert.Throws<ArgumentException>(() => BackgroundOperations.Batches([new string('x', BackgroundOperations.MaxBatchCharacters)]));
    }

    /// <summary>
    /// Sends the messages and waits until the host's queue trigger has processed each of them successfully. The queue is
    /// the host's, shared with every other test, so the wait follows these messages' own ids, not the queue's length.
    /// </summary>
    private async Task DeliveredAsync(QueueClient queue, params string[] messages)
    {
        var succeeded = new ConcurrentDictionary<string, bool>();
        void Record(QueueDelivery delivery)
        {
            if (delivery.Succeeded)
            {
                succeeded[delivery.MessageId] = true;
            }
        }

        api.Host.Queues.Delivered += Record;
        try
        {
            var sent = new List<string>();
            foreach (var message in messages)
            {
                sent.Add((await queue.SendMessageAsync(message, Ct)).Value.MessageId);
            }

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!sent.All(succeeded.ContainsKey))
            {
                Assert.True(DateTime.UtcNow < deadline, "the messages were not processed");
                await Task.Delay(50, Ct);
            }
        }
        finally
        {
            api.Host.Queues.Delivered -= Record;
        }
    }
}

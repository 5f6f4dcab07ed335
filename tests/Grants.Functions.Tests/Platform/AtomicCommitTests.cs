using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>docs/design.md §2.1–2.3 at the storage layer, against real Azurite.</summary>
public sealed class AtomicCommitTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Note(string Text);

    private static Change Noted(string to) =>
        new([new PendingAuditEvent("NoteTaken", new { to })], [new OutboxEmail(to, "Noted", "A note was taken.")]);

    private AggregateStore Store(TableClientOptions? options = null)
    {
        var tables = new TableServiceClient(api.StorageConnectionString, options ?? new TableClientOptions());
        return new AggregateStore(new StorageAccount(tables, new BlobServiceClient(api.StorageConnectionString)), TimeProvider.System);
    }

    /// <summary>Every aggregate of a type is one range of keys (ADR 0018): an id outside its type's range is refused before anything is written.</summary>
    [Fact]
    public async Task AnAggregateWhoseIdIsOutsideItsTypesRangeIsRefusedAndNothingIsWritten()
    {
        var id = $"memo-{Guid.NewGuid():N}";

        await Assert.ThrowsAsync<ArgumentException>(() => Store().CreateAsync("note", id, "Open", new Note("hello"), "tester", Noted("someone@example.org"), Ct));

        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        Assert.Empty(await table.QueryAsync<TableEntity>(e => e.PartitionKey == id, cancellationToken: Ct).ToListAsync(Ct));
        Assert.Equal(("app-", "org-", "voucher-"), (AggregateStore.IdPrefixOf("application"), AggregateStore.IdPrefixOf("organisation"), AggregateStore.IdPrefixOf("voucher")));
    }

    /// <summary>The evidence export reads every aggregate type by type: every store's type must be among them, and no two types' ranges overlap.</summary>
    [Fact]
    public void EveryStoresTypeIsOneOfTheTypesTheEvidenceExportReads()
    {
        var stores = typeof(AggregateStore).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsNested: false } && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAggregates<>)))
            .ToList();
        var types = stores.Select(t => (string)t.GetProperty(nameof(IAggregates<object>.Type))!.GetValue(System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(t))!).ToList();

        Assert.True(stores.Count >= 10, string.Join(", ", stores.Select(t => t.Name)));
        Assert.Equal(types.Order(StringComparer.Ordinal), AggregateStore.Types.Order(StringComparer.Ordinal));
        var prefixes = AggregateStore.Types.Select(AggregateStore.IdPrefixOf).ToList();
        Assert.All(prefixes, p => Assert.Single(prefixes, q => q.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(q, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FailureAfterStateWriteLeavesNeitherStateNorAuditNorOutbox()
    {
        var id = $"note-{Guid.NewGuid():N}";
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        // A leftover row where this command's outbox message must go: the last operation of the
        // transaction fails after the state row and audit event were already written within it.
        await table.AddEntityAsync(new TableEntity(id, AggregateStore.OutboxRowPrefix + AggregateStore.OutboxMessageId(id, 1, 0)), Ct);

        await Assert.ThrowsAnyAsync<RequestFailedException>(() =>
            Store().CreateAsync("note", id, "Open", new Note("hello"), "tester", Noted("someone@example.org"), Ct));

        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == id, cancellationToken: Ct).ToListAsync(Ct);
        var leftover = Assert.Single(rows);
        Assert.StartsWith(AggregateStore.OutboxRowPrefix, leftover.RowKey);
        Assert.Null(leftover.GetString("To"));
    }

    [Fact]
    public async Task CommitWritesStateAuditAndOutboxTogether()
    {
        var id = $"note-{Guid.NewGuid():N}";
        await Store().CreateAsync("note", id, "Open", new Note("hello"), "tester", Noted("someone@example.org"), Ct);

        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(
            [AggregateStore.AuditRowPrefix + "0000000001", AggregateStore.OutboxRowPrefix + AggregateStore.OutboxMessageId(id, 1, 0), AggregateStore.StateRowKey],
            rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RetryAfterLostResponseIsRecognisedAsOwnWrite()
    {
        var losing = new LoseFirstTransactionResponse();
        var options = new TableClientOptions();
        options.AddPolicy(losing, HttpPipelinePosition.PerRetry);
        var id = $"note-{Guid.NewGuid():N}";

        var stored = await Store(options).CreateAsync("note", id, "Open", new Note("hello"), "tester", Noted("someone@example.org"), Ct);

        Assert.True(losing.Lost, "the first transaction response should have been dropped");
        Assert.Equal(1, stored.Version);
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var rows = await table.QueryAsync<TableEntity>(e => e.PartitionKey == id, cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task UpdateWithStaleETagIsRefusedAndWritesNothing()
    {
        var id = $"note-{Guid.NewGuid():N}";
        var store = Store();
        var created = await store.CreateAsync("note", id, "Open", new Note("v1"), "tester", Noted("a@example.org"), Ct);
        await store.UpdateAsync(created, "Open", new Note("v2"), "tester", Noted("b@example.org"), Ct);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            store.UpdateAsync(created, "Open", new Note("v3"), "tester", Noted("c@example.org"), Ct));

        var current = await store.FindAsync<Note>(id, Ct);
        Assert.Equal("v2", current!.State.Text);
        Assert.Equal(2, (await store.AuditTrailAsync(id, Ct)).Count);
    }

    [Fact]
    public async Task TransactionOverAzureLimitIsRefusedBeforeSending()
    {
        var id = $"note-{Guid.NewGuid():N}";
        var tooMany = new Change(
            Enumerable.Range(0, 100).Select(i => new PendingAuditEvent("NoteTaken", new { i })).ToList(),
            []);

        await Assert.ThrowsAsync<StorageLimitExceededException>(() =>
            Store().CreateAsync("note", id, "Open", new Note("x"), "tester", tooMany, Ct));
        await Assert.ThrowsAsync<StorageLimitExceededException>(() =>
            Store().CreateAsync("note", $"note-{Guid.NewGuid():N}", "Open", new Note(new string('x', 40_000)), "tester", Noted("a@example.org"), Ct));
        Assert.Null(await Store().FindAsync<Note>(id, Ct));
    }

    [Fact]
    public async Task ACreateThatCarriesItsKeyNamesTheRequestOnItsFirstEventUntilThatEventIsErased()
    {
        var store = Store();
        var id = $"note-{Guid.NewGuid():N}";
        using (RequestOperation.BeginCreate("operation-of-caller-and-key", "fingerprint-of-the-request"))
        {
            await store.CreateAsync("note", id, "Open", new Note("hello"), "tester", Noted("someone@example.org"), Ct);
            Assert.NotNull(await store.FindOwnCreationAsync<Note>(id, Ct));
        }

        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var first = (await table.GetEntityAsync<TableEntity>(id, $"{AggregateStore.AuditRowPrefix}{1:D10}", cancellationToken: Ct)).Value;
        Assert.Equal("operation-of-caller-and-key", first.GetString("CreatedBy"));
        Assert.Equal("fingerprint-of-the-request", first.GetString("RequestFingerprint"));
        using (RequestOperation.BeginCreate("operation-of-caller-and-key", "fingerprint-of-another-request"))
        {
            await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => store.FindOwnCreationAsync<Note>(id, Ct));
        }

        // Both derive from the caller and the body: retention forgets them with the payload.
        await store.EraseHistoryAsync(id, [1], Ct);

        first = (await table.GetEntityAsync<TableEntity>(id, $"{AggregateStore.AuditRowPrefix}{1:D10}", cancellationToken: Ct)).Value;
        Assert.Equal("", first.GetString("CreatedBy"));
        Assert.Equal("", first.GetString("RequestFingerprint"));
        using (RequestOperation.BeginCreate("operation-of-caller-and-key", "fingerprint-of-the-request"))
        {
            Assert.Null(await store.FindOwnCreationAsync<Note>(id, Ct));
        }
    }

    /// <summary>Lets the first entity group transaction reach the server, then drops its response, as a flaky network would.</summary>
    private sealed class LoseFirstTransactionResponse : HttpPipelinePolicy
    {
        public bool Lost { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (!Lost && message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Lost = true;
                throw new IOException("Simulated: the connection dropped after the server committed.");
            }
        }
    }
}

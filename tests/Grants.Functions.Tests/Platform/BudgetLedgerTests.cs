using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Grants.Domain.Budget;
using Grants.Functions.Budget;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>docs/design.md §2.4 against real Azurite: committed never exceeds the ceiling, under concurrency and retries.</summary>
public sealed class BudgetLedgerTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BudgetLedgerStore Store(TableClientOptions? options = null) =>
        new(new StorageAccount(new TableServiceClient(api.StorageConnectionString, options ?? new TableClientOptions()), new BlobServiceClient(api.StorageConnectionString)));

    private static LedgerEntry Entry(string id, string kind, long amount, string? reference) => new(id, kind, reference, amount, "ministry", DateTimeOffset.UtcNow, null);

    [Fact]
    public async Task HundredConcurrentCommitsNeverExceedTheCeilingAndEachLandsOnce()
    {
        var round = $"round-{Guid.NewGuid():N}"[..18];
        // Four stores, as four Function instances would each have one: postings within an instance take
        // turns, so only postings from different instances meet on the balance row's ETag.
        var instances = Enumerable.Range(0, 4).Select(_ => Store()).ToArray();
        var store = instances[0];
        await store.PostAsync(round, Entry("ceiling", LedgerKinds.Ceiling, 7_000_000_00, null), Ct);
        // 100 awards of 95,000 to 120,000 euro: about 65 fit under 7 million.
        var awards = Enumerable.Range(0, 100).Select(i => (Id: $"award-{i}", Reference: $"app-{i}", Amount: (95_000 + (i % 6) * 5_000) * 100L)).ToList();
        var attempt = 0;

        async Task<bool> Commit((string Id, string Reference, long Amount) award)
        {
            try
            {
                await instances[Interlocked.Increment(ref attempt) % instances.Length].PostAsync(round, Entry(award.Id, LedgerKinds.Commit, award.Amount, award.Reference), Ct);
                return true;
            }
            catch (CeilingExceededException)
            {
                return false;
            }
        }

        // Every award is attempted twice at once, as a client retrying after a timeout would.
        var outcomes = await Task.WhenAll(awards.Concat(awards).Select(Commit));

        var balance = await store.BalanceAsync(round, Ct);
        var entries = await store.EntriesAsync(round, Ct);
        var commits = entries.Where(e => e.Kind == LedgerKinds.Commit).ToList();
        Assert.True(balance.Committed <= balance.Ceiling, $"committed {balance.Committed} > ceiling {balance.Ceiling}");
        Assert.Equal(commits.Sum(e => e.Amount), balance.Committed);
        Assert.Equal(commits.Count, commits.Select(e => e.Reference).Distinct().Count());
        Assert.True(commits.Count >= 58, $"only {commits.Count} awards fitted");
        Assert.True(balance.Available < 95_000_00, "an award that fitted was refused");
        for (var i = 0; i < awards.Count; i++)
        {
            // An award acknowledged to either attempt is in the ledger exactly once; one refused to both is not in it.
            var acknowledged = outcomes[i] || outcomes[awards.Count + i];
            Assert.Equal(acknowledged ? 1 : 0, commits.Count(c => c.EntryId == awards[i].Id));
        }
    }

    [Fact]
    public async Task ADrawsReservationsPostInBatchesWithinTheCeilingAndARepeatAddsNothing()
    {
        var round = $"round-{Guid.NewGuid():N}"[..18];
        var ceiling = Entry("ceiling", LedgerKinds.Ceiling, 1_000_000_00, null);
        var reservations = Enumerable.Range(0, 230).Select(i => Entry($"select-app-{i}", LedgerKinds.Reserve, 4_000_00, $"app-{i}")).ToList();
        var other = Store();

        // Another instance commits awards at the same time; the batches must be checked against them.
        var batch = Store().PostAllAsync(round, [ceiling, .. reservations], Ct);
        var awards = Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await Task.Delay(i, Ct);
            try
            {
                await other.PostAsync(round, Entry($"award-x-{i}", LedgerKinds.Commit, 1_000_00, $"x-{i}"), Ct);
            }
            catch (CeilingExceededException)
            {
            }
        }));
        await Task.WhenAll(batch, awards);
        var again = await Store().PostAllAsync(round, [ceiling, .. reservations], Ct);

        var balance = await other.BalanceAsync(round, Ct);
        var entries = await other.EntriesAsync(round, Ct);
        Assert.Equal(balance, again);
        Assert.Equal(230 * 4_000_00L, balance.Reserved);
        Assert.Equal(reservations.Select(r => r.EntryId).Order(), entries.Where(e => e.Kind == LedgerKinds.Reserve).Select(e => e.EntryId).Order());
        Assert.Equal(entries.Where(e => e.Kind == LedgerKinds.Commit).Sum(e => e.Amount), balance.Committed);
        Assert.True(balance.Reserved + balance.Committed <= balance.Ceiling);
    }

    [Fact]
    public async Task ABatchThatWouldPassTheCeilingIsRefusedWhole()
    {
        var round = $"round-{Guid.NewGuid():N}"[..18];
        var store = Store();
        await store.PostAsync(round, Entry("ceiling", LedgerKinds.Ceiling, 10_00, null), Ct);

        await Assert.ThrowsAsync<CeilingExceededException>(() => store.PostAllAsync(round,
            [Entry("select-a", LedgerKinds.Reserve, 6_00, "a"), Entry("select-b", LedgerKinds.Reserve, 6_00, "b")], Ct));

        Assert.Equal(new LedgerBalance(10_00, 0, 0, 0), await store.BalanceAsync(round, Ct));
        Assert.DoesNotContain(await store.EntriesAsync(round, Ct), e => e.Kind == LedgerKinds.Reserve);
    }

    [Fact]
    public async Task PostingWhoseResponseWasLostIsRecordedOnce()
    {
        var round = $"round-{Guid.NewGuid():N}"[..18];
        var losing = new LoseFirstBatchResponse();
        var options = new TableClientOptions();
        options.AddPolicy(losing, HttpPipelinePosition.PerRetry);
        var store = Store(options);
        await Store().PostAsync(round, Entry("ceiling", LedgerKinds.Ceiling, 100, null), Ct);

        var result = await store.PostAsync(round, Entry("reserve-1", LedgerKinds.Reserve, 60, "app-1"), Ct);

        Assert.True(losing.Lost);
        Assert.True(result.AlreadyPosted);
        Assert.Equal(new LedgerBalance(100, 60, 0, 0), await Store().BalanceAsync(round, Ct));
        Assert.Single(await Store().EntriesAsync(round, Ct), e => e.Kind == LedgerKinds.Reserve);
    }

    private sealed class LoseFirstBatchResponse : HttpPipelinePolicy
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

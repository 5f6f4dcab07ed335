using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// The short-lived copies a hot path may read (<see cref="RecentAggregates"/>): a write through this
/// process's store is seen at once, a write elsewhere within the lifetime, and a copy read before a
/// write never outlives it.
/// </summary>
public sealed class RecentAggregatesTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Note(string Text);

    private static readonly TimeSpan Long = TimeSpan.FromHours(1);

    [Fact]
    public async Task AWriteThroughTheSameStoreIsSeenAtOnce()
    {
        var store = Store();
        var recent = Recent(store, Long);
        var created = await CreateAsync(store, "first");
        Assert.Equal("first", (await recent.FindAsync<Note>(created.Id, Ct))!.State.Text);

        await store.UpdateAsync(created, "Open", new Note("second"), "tester", Noted(), Ct);

        Assert.Equal("second", (await recent.FindAsync<Note>(created.Id, Ct))!.State.Text);
    }

    [Fact]
    public async Task AWriteByAnotherInstanceIsSeenOnceTheCopyIsOld()
    {
        var store = Store();
        var created = await CreateAsync(store, "first");
        var kept = Recent(store, Long);
        var fresh = Recent(store, TimeSpan.Zero);
        Assert.Equal("first", (await kept.FindAsync<Note>(created.Id, Ct))!.State.Text);
        Assert.Equal("first", (await fresh.FindAsync<Note>(created.Id, Ct))!.State.Text);

        await Store().UpdateAsync(created, "Open", new Note("second"), "elsewhere", Noted(), Ct);

        // Within its lifetime the copy stands (that is what saves the reads); without one, storage is read.
        Assert.Equal("first", (await kept.FindAsync<Note>(created.Id, Ct))!.State.Text);
        Assert.Equal("second", (await fresh.FindAsync<Note>(created.Id, Ct))!.State.Text);
    }

    [Fact]
    public async Task ACopyReadBeforeAWriteIsNotKept()
    {
        // A read that has its answer from storage but not yet handed it over when the write commits.
        var held = await HeldReadAsync();
        await held.Store.UpdateAsync(held.Created, "Open", new Note("second"), "tester", Noted(), Ct);
        held.Hold.Release();

        Assert.Equal("first", (await held.Read)!.State.Text);
        Assert.Equal("second", (await held.Recent.FindAsync<Note>(held.Created.Id, Ct))!.State.Text);
    }

    [Fact]
    public async Task RequestsThatMissTogetherShareOneRead()
    {
        var held = await HeldReadAsync();
        var others = Enumerable.Range(0, 7).Select(_ => held.Recent.FindAsync<Note>(held.Created.Id, Ct)).ToList();
        held.Hold.Release();

        Assert.All(await Task.WhenAll(others.Prepend(held.Read)), found => Assert.Equal("first", found!.State.Text));
        Assert.Equal(1, held.Hold.Reads);
    }

    /// <summary>A new aggregate, and a first read of it through long-lived copies whose answer storage has given but the policy holds back.</summary>
    private async Task<HeldRead> HeldReadAsync()
    {
        var hold = new HoldingPolicy();
        var store = Store(hold);
        var recent = Recent(store, Long);
        var created = await CreateAsync(store, "first");
        hold.Arm(created.Id);
        var read = recent.FindAsync<Note>(created.Id, Ct);
        await hold.Held.WaitAsync(Ct);
        return new HeldRead(store, recent, created, hold, read);
    }

    private sealed record HeldRead(AggregateStore Store, RecentAggregates Recent, StoredAggregate<Note> Created, HoldingPolicy Hold, Task<StoredAggregate<Note>?> Read);

    private AggregateStore Store(HttpPipelinePolicy? policy = null)
    {
        var options = new TableClientOptions();
        if (policy is not null)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }

        return new AggregateStore(new StorageAccount(new TableServiceClient(api.StorageConnectionString, options), new BlobServiceClient(api.StorageConnectionString)), TimeProvider.System);
    }

    private static RecentAggregates Recent(AggregateStore store, TimeSpan lifetime) =>
        new(store, Options.Create(new ApiOptions { RecentReadLifetime = lifetime }));

    private static Task<StoredAggregate<Note>> CreateAsync(AggregateStore store, string text) =>
        store.CreateAsync("note", $"note-{Guid.NewGuid():N}", "Open", new Note(text), "tester", Noted(), Ct);

    private static Change Noted() => Change.Of(new PendingAuditEvent("NoteTaken", null));

    /// <summary>Holds the answer to the next read of an aggregate's state row until released, and counts that aggregate's reads from then on.</summary>
    private sealed class HoldingPolicy : HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _armedFor;
        private string? _counted;
        private int _reads;

        public Task Held => _held.Task;

        public int Reads => _reads;

        public void Arm(string id) => _armedFor = _counted = id;

        public void Release() => _released.SetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store calls storage asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (_counted is { } counted && message.Request.Method == RequestMethod.Get && message.Request.Uri.ToString().Contains(counted, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _reads);
            }

            if (_armedFor is { } id && message.Request.Method == RequestMethod.Get && message.Request.Uri.ToString().Contains(id, StringComparison.Ordinal))
            {
                _armedFor = null;
                _held.SetResult();
                await _released.Task;
            }
        }
    }
}

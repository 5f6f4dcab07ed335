using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>What the run counts as a whole-account query (<see cref="TableScans"/>), and that it sees the product's.</summary>
public sealed class TableScanTests(GrantsApi api)
{
    [Theory]
    [InlineData("PartitionKey eq 'round-0123456789ab'", true)]
    [InlineData("PartitionKey eq 'app-1' and RowKey gt 'audit|' and RowKey lt 'audit|~'", true)]
    [InlineData("PartitionKey eq 'o''brien' and Status eq 'Pending'", true)]
    [InlineData("RowKey eq 'state' and AggregateType eq 'round' and (Status eq 'Open')", false)]
    [InlineData("Status eq 'Open' and PartitionKey eq 'round-1'", false)]
    [InlineData("PartitionKey ge 'app-0123456789ab-' and PartitionKey lt 'app-0123456789ab-~' and RowKey eq 'state'", true)]
    [InlineData("PartitionKey ge 'round-'", false)]
    [InlineData("PartitionKey gt 'a' or PartitionKey lt 'b'", false)]
    [InlineData("PartitionKey eq 'a' or PartitionKey eq 'b'", false)]
    [InlineData(null, false)]
    public void AQueryNamesOnePartitionOnlyByAPartitionKeyEqualityFirst(string? filter, bool keyed) =>
        Assert.Equal(keyed, TableScans.NamesOnePartition(filter));

    /// <summary>
    /// A recorder in a storage pipeline of its own sees a whole-account query under the method that sent it (here the
    /// test's own, outside the product) and none of the product's keyed reads through the same pipeline: the relays'
    /// pointers, the dead letters' partition. The run's recorder has seen no whole-account query from the relays, the
    /// dispatcher, the nightly sweep (which finds old responses by their notes), the lists of failed events and
    /// schemes, or a scheme's rounds.
    /// </summary>
    [Fact]
    public async Task TheRunSeesAWholeAccountQueryUnderTheMethodThatSentIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var own = new TableScans();
        var storage = new Grants.Functions.Platform.Storage.StorageAccount(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Grants.Functions.Platform.Storage.StorageAccount.ConnectionName] = api.StorageConnectionString })
            .Build(), new Grants.Functions.Platform.Storage.StorageClientOptions().AddPolicy(own, Azure.Core.HttpPipelinePosition.PerCall));
        var table = await storage.TableAsync(Grants.Functions.Platform.Storage.TableNames.Operations, ct);
        await Task.Yield(); // a fresh stack: a continuation that a product method completed would find that method's frames below it
        await table.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"Status eq {"Failed"}"), maxPerPage: 1, cancellationToken: ct).AsPages().FirstAsync(ct);
        await new Grants.Functions.Platform.Storage.OutboxIndex(storage).DuePagesAsync(Grants.Functions.Platform.Storage.OutboxIndex.Mail, DateTimeOffset.UtcNow, ct).ToListAsync(ct);
        await new Grants.Functions.Platform.Storage.DeadLetters(storage).ListAsync(Grants.Functions.Platform.Storage.DeadLetters.Mail, "Failed", "Sent", ct);

        var seen = Assert.Single(own.Seen);
        Assert.Equal(("(outside the product)", "Status eq 'Failed'"), (seen.Key, seen.Value));

        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Grants.Functions.Platform.Identity.Roles.Ministry);
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        await api.FireAsync(nameof(Grants.Functions.Platform.Events.DispatchEvents));
        await api.FireAsync(nameof(Grants.Functions.Retention.ApplyRetention));
        await (await ministry.GetAsync("api/operations/events/failed", ct)).ReadAsync<IReadOnlyList<Grants.Functions.Platform.Events.FailedEventResponse>>();
        var schemes = await (await ministry.GetAsync("api/schemes", ct)).ReadAsync<IReadOnlyList<Grants.Contracts.Schemes.SchemeResponse>>();
        var rounds = await (await ministry.GetAsync($"api/schemes/{round.SchemeId}/rounds", ct)).ReadAsync<IReadOnlyList<Grants.Contracts.Rounds.RoundResponse>>();

        Assert.Contains(schemes, s => s.Id == round.SchemeId);
        Assert.Equal(round.Id, Assert.Single(rounds).Id);
        foreach (var keyed in new[] { "OutboxRelay.RelayPendingAsync", "EventDispatcher.RelayPendingAsync", "OutboxIndex.DuePagesAsync", "IdempotentRequests.ForgetAsync", "RetentionSweep.RunAsync",
            "EventDispatcher.FailedAsync", "DeadLetters.ListAsync", "SchemeStore.ListAsync", "RoundStore.OfSchemeAsync" })
        {
            Assert.DoesNotContain(keyed, TableScans.Recorded.Keys);
        }
    }
}

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
    /// The nightly sweep of remembered responses reads the whole table by age, and is recorded under the method that
    /// asks; the relays find pending mail and events through their pointers' partitions, the list of failed events
    /// reads its dead letters' partition, the list of schemes the range of keys scheme ids begin with, and a scheme's
    /// rounds the scheme's partition of the members table, and none of those is.
    /// </summary>
    [Fact]
    public async Task TheRunSeesAWholeAccountQueryUnderTheMethodThatSentIt()
    {
        var round = await api.OpenRoundAsync();
        using var ministry = api.As(Grants.Functions.Platform.Identity.Roles.Ministry);

        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        await api.FireAsync(nameof(Grants.Functions.Platform.Events.DispatchEvents));
        await api.FireAsync(nameof(Grants.Functions.Retention.ApplyRetention));
        await (await ministry.GetAsync("api/operations/events/failed", TestContext.Current.CancellationToken)).ReadAsync<IReadOnlyList<Grants.Functions.Platform.Events.FailedEventResponse>>();
        var schemes = await (await ministry.GetAsync("api/schemes", TestContext.Current.CancellationToken)).ReadAsync<IReadOnlyList<Grants.Contracts.Schemes.SchemeResponse>>();
        var rounds = await (await ministry.GetAsync($"api/schemes/{round.SchemeId}/rounds", TestContext.Current.CancellationToken)).ReadAsync<IReadOnlyList<Grants.Contracts.Rounds.RoundResponse>>();

        Assert.Contains(schemes, s => s.Id == round.SchemeId);
        Assert.Equal(round.Id, Assert.Single(rounds).Id);
        Assert.StartsWith("Timestamp lt ", TableScans.Recorded["RetentionSweep.ForgetIdempotentResponsesAsync"], StringComparison.Ordinal);
        foreach (var keyed in new[] { "OutboxRelay.RelayPendingAsync", "EventDispatcher.RelayPendingAsync", "OutboxIndex.DueAsync", "EventDispatcher.FailedAsync", "DeadLetters.ListAsync", "SchemeStore.ListAsync", "RoundStore.OfSchemeAsync" })
        {
            Assert.DoesNotContain(keyed, TableScans.Recorded.Keys);
        }
    }
}

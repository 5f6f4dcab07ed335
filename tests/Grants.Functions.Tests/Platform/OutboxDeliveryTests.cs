using System.Net;
using System.Net.Sockets;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Grants.Functions.Tests.Platform;

/// <summary>SMTP trouble delays mail but never loses it; concurrent relays never double-send. Own storage, so failures touch no other test.</summary>
public sealed class OutboxDeliveryTests(ClockedGrantsApi api) : IClassFixture<ClockedGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Note(string Text);

    private async Task<string> CommitMailAsync(string to)
    {
        var id = $"note-{Guid.NewGuid():N}";
        await new AggregateStore(api.Storage(), api.Clock).CreateAsync("note", id, "Open", new Note("x"), "tester",
            new Change([new PendingAuditEvent("NoteTaken", null)], [new OutboxEmail(to, "Subsidy notice", "Body")]), Ct);
        return AggregateStore.OutboxMessageId(id, 1, 0) + "@" + OutboxRelay.MessageIdDomain;
    }

    private OutboxRelay Relay(IMailTransport transport, FakeTimeProvider clock, int maxAttempts = 3) =>
        new(api.Storage(), new OutboxIndex(api.Storage()), new DeadLetters(api.Storage()), transport, Options.Create(new MailOptions { MaxAttempts = maxAttempts }), clock, NullLogger<OutboxRelay>.Instance);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }

    [Fact]
    public async Task SmtpOutageBacksOffThenParksTheMailVisiblyWithoutLosingIt()
    {
        var to = $"outage-{Guid.NewGuid():N}@example.org";
        var messageId = await CommitMailAsync(to);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var down = new SmtpMailTransport(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = ClosedPort(), Security = "None" } }));
        var relay = Relay(down, clock);

        Assert.Equal(0, await relay.RelayPendingAsync(Ct));
        Assert.Equal(0, await relay.RelayPendingAsync(Ct)); // not due yet: backing off
        clock.Advance(OutboxRelay.Backoff(1));
        Assert.Equal(0, await relay.RelayPendingAsync(Ct));
        clock.Advance(OutboxRelay.Backoff(2));
        Assert.Equal(0, await relay.RelayPendingAsync(Ct));

        var parked = Assert.Single(await relay.FailedAsync(Ct), row => row.GetString("To") == to);
        Assert.Equal(3, parked.GetInt32("Attempts"));
        Assert.False(string.IsNullOrEmpty(parked.GetString("LastError")));
        using var ministry = api.As(Functions.Platform.Identity.Roles.Ministry);
        var listed = await (await ministry.GetAsync("api/operations/outbox/failed", Ct)).ReadAsync<List<FailedMailResponse>>();
        Assert.Contains(listed, m => m.To == to && m.MessageId + "@" + OutboxRelay.MessageIdDomain == messageId);
        Assert.DoesNotContain(api.Smtp.Messages, m => m.MessageId == messageId);
    }

    /// <summary>
    /// The list of parked mail reads its pointers (docs/decisions/0018): a pointer whose mail is still pending (its Failed
    /// mark not yet written) is kept and not listed; once Failed it is listed; once delivered its pointer is removed.
    /// </summary>
    [Fact]
    public async Task TheListOfParkedMailFollowsEachMailsStatusAndForgetsDeliveredOnes()
    {
        var id = $"note-{Guid.NewGuid():N}";
        await new AggregateStore(api.Storage(), api.Clock).CreateAsync("note", id, "Open", new Note("x"), "tester",
            new Change([new PendingAuditEvent("NoteTaken", null)], [new OutboxEmail($"parked-{Guid.NewGuid():N}@example.org", "Subsidy notice", "Body")]), Ct);
        var rowKey = AggregateStore.OutboxRowPrefix + AggregateStore.OutboxMessageId(id, 1, 0);
        var deadLetters = new DeadLetters(api.Storage());
        var aggregates = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var pointers = await api.Storage().TableAsync(TableNames.Operations, Ct);
        async Task<bool> PointedAtAsync() => (await pointers.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(DeadLetters.PartitionFor(DeadLetters.Mail), $"{id} {rowKey}", cancellationToken: Ct)).HasValue;
        async Task<bool> ListedAsync() => (await deadLetters.ListAsync(DeadLetters.Mail, OutboxRelay.Failed, OutboxStatus.Sent, Ct)).Any(r => r.PartitionKey == id);
        Task MarkAsync(string status) => aggregates.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(id, rowKey) { ["Status"] = status }, Azure.Data.Tables.TableUpdateMode.Merge, Ct);

        await deadLetters.RecordAsync(DeadLetters.Mail, id, rowKey, Ct);
        Assert.False(await ListedAsync());
        Assert.True(await PointedAtAsync());

        await MarkAsync(OutboxRelay.Failed);
        Assert.True(await ListedAsync());

        await MarkAsync(OutboxStatus.Sent);
        Assert.False(await ListedAsync());
        Assert.False(await PointedAtAsync());
    }

    [Fact]
    public async Task MailWaitingOutAnOutageIsDeliveredWhenSmtpIsBack()
    {
        var to = $"recovered-{Guid.NewGuid():N}@example.org";
        var messageId = await CommitMailAsync(to);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var down = new SmtpMailTransport(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = ClosedPort(), Security = "None" } }));
        var up = new SmtpMailTransport(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = api.Smtp.Port, Security = "None" } }));

        await Relay(down, clock, maxAttempts: 10).RelayPendingAsync(Ct);
        clock.Advance(OutboxRelay.Backoff(1));
        await Relay(up, clock, maxAttempts: 10).RelayPendingAsync(Ct);

        var delivered = await api.Smtp.WaitForAsync(m => m.MessageId == messageId);
        Assert.Equal(to, delivered.To.Mailboxes.Single().Address);
    }

    /// <summary>
    /// The pointer is written before its commit (docs/decisions/0018): a relay that reads it before the commit lands finds
    /// no row, keeps the pointer and looks again, and sends the mail once it is there; a pointer whose commit never lands
    /// is dropped once the grace has passed, sending nothing.
    /// </summary>
    [Fact]
    public async Task APointerReadBeforeItsCommitLandsWaitsForItAndOneWhoseCommitNeverLandsIsDropped()
    {
        var index = new OutboxIndex(api.Storage());
        var clock = new FakeTimeProvider(api.Clock.GetUtcNow());
        var up = new SmtpMailTransport(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = api.Smtp.Port, Security = "None" } }));
        var landing = $"note-{Guid.NewGuid():N}";
        var lost = $"note-{Guid.NewGuid():N}";
        var landingRow = AggregateStore.OutboxRowPrefix + AggregateStore.OutboxMessageId(landing, 1, 0);
        await index.PointAsync(landing, [(OutboxIndex.Mail, clock.GetUtcNow(), [landingRow])], Ct);
        await index.PointAsync(lost, [(OutboxIndex.Mail, clock.GetUtcNow(), [AggregateStore.OutboxRowPrefix + AggregateStore.OutboxMessageId(lost, 1, 0)])], Ct);
        async Task<int> PointersAsync(string id) => (await index.DuePagesAsync(OutboxIndex.Mail, clock.GetUtcNow().AddDays(1), Ct).ToListAsync(Ct)).Sum(page => page.Count(p => p.AggregateId == id));

        await Relay(up, clock).RelayPendingAsync(Ct);
        Assert.Equal((1, 1), (await PointersAsync(landing), await PointersAsync(lost)));

        var to = $"landing-{Guid.NewGuid():N}@example.org";
        await new AggregateStore(api.Storage(), clock).CreateAsync("note", landing, "Open", new Note("x"), "tester",
            new Change([new PendingAuditEvent("NoteTaken", null)], [new OutboxEmail(to, "Subsidy notice", "Body")]), Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Relay(up, clock).RelayPendingAsync(Ct);

        var messageId = AggregateStore.OutboxMessageId(landing, 1, 0) + "@" + OutboxRelay.MessageIdDomain;
        await api.Smtp.WaitForAsync(m => m.MessageId == messageId);
        Assert.Single(api.Smtp.Messages, m => m.MessageId == messageId);
        Assert.Equal((0, 1), (await PointersAsync(landing), await PointersAsync(lost)));

        clock.Advance(OutboxIndex.CommitGrace);
        await Relay(up, clock).RelayPendingAsync(Ct);
        Assert.Equal(0, await PointersAsync(lost));
    }

    [Fact]
    public async Task ConcurrentRelaysSendEachMessageOnce()
    {
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await CommitMailAsync($"race-{i}-{Guid.NewGuid():N}@example.org"));
        }

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var up = new SmtpMailTransport(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = api.Smtp.Port, Security = "None" } }));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Relay(up, clock).RelayPendingAsync(Ct)));

        foreach (var id in ids)
        {
            await api.Smtp.WaitForAsync(m => m.MessageId == id);
            Assert.Single(api.Smtp.Messages, m => m.MessageId == id);
        }
    }

    /// <summary>
    /// A relay reads its due mail a page at a time and stops reading new pages once its run has taken
    /// <see cref="OutboxIndex.RunBudget"/>, so that a national backlog never holds a run near the host's timeout: the next run
    /// goes on where it stopped, and every message goes out once.
    /// </summary>
    [Fact]
    public async Task ARunStopsReadingPagesAfterItsBudgetAndTheNextGoesOnSendingEachMessageOnce()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3 * OutboxIndex.Partitions; i++)
        {
            ids.Add(await CommitMailAsync($"budget-{i}-{Guid.NewGuid():N}@example.org"));
        }

        var clock = new FakeTimeProvider(api.Clock.GetUtcNow().AddMinutes(1));
        var up = new SmtpMailTransport(Options.Create(new MailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = api.Smtp.Port, Security = "None" } }));
        var slow = new ClockAdvancingTransport(up, clock, OutboxIndex.RunBudget / 8);
        int SentOnce() => ids.Count(id => api.Smtp.Messages.Count(m => m.MessageId == id) == 1);

        var firstRun = await Relay(slow, clock).RelayPendingAsync(Ct);
        var runs = 1;
        while (SentOnce() < ids.Count && runs < 20)
        {
            await Relay(slow, clock).RelayPendingAsync(Ct);
            runs++;
        }

        Assert.InRange(firstRun, 1, ids.Count - 1);
        foreach (var id in ids)
        {
            await api.Smtp.WaitForAsync(m => m.MessageId == id);
            Assert.Single(api.Smtp.Messages, m => m.MessageId == id);
        }
    }

    /// <summary>The SMTP server's transport, each message taking <paramref name="step"/> of the relay's clock.</summary>
    private sealed class ClockAdvancingTransport(IMailTransport inner, FakeTimeProvider clock, TimeSpan step) : IMailTransport
    {
        public async Task SendAsync(IReadOnlyList<MimeKit.MimeMessage> messages, CancellationToken cancellationToken)
        {
            await inner.SendAsync(messages, cancellationToken);
            clock.Advance(step * messages.Count);
        }
    }
}

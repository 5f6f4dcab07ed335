using System.Net;
using Grants.Contracts.Audit;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// docs/design.md §2.2 and docs/decisions/0016: an event is committed with its change and handed to its subscribers
/// at least once. A request that stopped after its commit leaves the hand-over to the relay; a subscriber that keeps
/// failing parks the event, listed for operators; repeating a hand-over does the work once.
/// </summary>
public sealed class EventDispatchTests(EventDispatchTests.FailingSubscriberApi api) : IClassFixture<EventDispatchTests.FailingSubscriberApi>
{
    private const string Failing = "test.always-fails";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEventWhoseRequestStoppedAfterTheCommitIsHandedOverByTheRelayOnce()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var submitted = await applicant.SubmittedAsync(round.Id);
        var store = api.Host.App.Services.GetRequiredService<AggregateStore>();
        var stored = (await store.FindAsync<RoundData>(round.Id, Ct))!;
        var closing = new Round(stored.State);
        closing.Close(api.Clock.GetUtcNow());

        // The close is committed with its event, and the request stops before handing it over.
        await store.UpdateAsync(stored, closing.Data.Status.ToString(), closing.Data, "closed-by-hand",
            Change.Of(new PendingAuditEvent("RoundClosed", new { closing.Data.ClosedAt })).Raising(new OutboxEvent(RoundEvents.Closed)), Ct);
        await api.FireAsync(nameof(DispatchEvents));
        Assert.False((await store.FindAsync<RoundData>(round.Id, Ct))!.State.ClosureNoticesSent, "the relay leaves a fresh event to its request");

        api.Advance(EventDispatcher.HandOverGrace + TimeSpan.FromSeconds(1));
        await api.FireAsync(nameof(DispatchEvents));
        await api.FireAsync(nameof(DispatchEvents));
        await api.AwaitOperationAsync(CloseRoundHandler.NoticesOperationId(round.Id));

        Assert.True((await store.FindAsync<RoundData>(round.Id, Ct))!.State.ClosureNoticesSent);
        using var auditor = api.As(Roles.Auditor);
        var trail = await (await auditor.GetAsync($"api/audit/{submitted.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Equal("closed-by-hand", Assert.Single(trail.Events, e => e.Type == "RoundClosedNoticeSent").Actor);
    }

    [Fact]
    public async Task AnEventWhoseSubscriberKeepsFailingIsParkedAndListedForOperators()
    {
        var round = await api.OpenRoundAsync();
        var store = api.Host.App.Services.GetRequiredService<AggregateStore>();
        var stored = (await store.FindAsync<RoundData>(round.Id, Ct))!;
        await store.UpdateAsync(stored, stored.Status, stored.State, "operator-test",
            Change.Of(new PendingAuditEvent("Noted", null)).Raising(new OutboxEvent(Failing, "detail")), Ct);

        for (var attempt = 1; attempt <= EventDispatcher.MaxAttempts; attempt++)
        {
            api.Advance(EventDispatcher.Backoff(attempt) + TimeSpan.FromMinutes(2));
            await api.FireAsync(nameof(DispatchEvents));
        }

        using var ministry = api.As(Roles.Ministry);
        var failed = await (await ministry.GetAsync("api/operations/events/failed", Ct)).ReadAsync<List<FailedEventResponse>>();
        var parked = Assert.Single(failed, e => e.AggregateId == round.Id);
        Assert.Equal((Failing, "detail", "operator-test", EventDispatcher.MaxAttempts), (parked.Name, parked.Detail, parked.Actor, parked.Attempts));
        Assert.Contains("refuses", parked.LastError, StringComparison.Ordinal);
        Assert.Equal(EventDispatcher.MaxAttempts, api.Failures);

        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.GetAsync("api/operations/events/failed", Ct)).StatusCode);
    }

    /// <summary>A host of its own, on a clock the tests move, with a subscriber that always fails.</summary>
    public sealed class FailingSubscriberApi : GrantsHost
    {
        private readonly RunningClock _clock = new();
        private int _failures;

        public override TimeProvider Clock => _clock;

        public int Failures => _failures;

        public void Advance(TimeSpan by) => _clock.Advance(by);

        protected override void Configure(LocalHostOptions options)
        {
            var common = options.ConfigureServices;
            options.ConfigureServices = services =>
            {
                common?.Invoke(services);
                services.AddSingleton<IEventSubscriber>(new AlwaysFails(this));
            };
        }

        private sealed class AlwaysFails(FailingSubscriberApi api) : IEventSubscriber
        {
            public string Event => Failing;

            public Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref api._failures);
                throw new InvalidOperationException("The subscriber refuses, as a broken dependency would.");
            }
        }
    }
}

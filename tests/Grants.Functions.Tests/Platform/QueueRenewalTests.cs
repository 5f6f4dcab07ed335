using System.Collections.Concurrent;
using Grants.Functions.Platform.Work;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost;
using Grants.LocalHost.Triggers;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// docs/decisions/0019: the local queue runner keeps a message invisible while its function runs by renewing the
/// invisibility, as the Functions host does, so that work running longer than one in-flight window is not delivered again
/// beside itself, and its message is deleted with the receipt of the latest renewal.
/// </summary>
public sealed class QueueRenewalTests(QueueRenewalTests.ShortWindowApi api) : IClassFixture<QueueRenewalTests.ShortWindowApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADeliveryThatOutlivesSeveralWindowsRunsOnceAndItsMessageIsDeletedAfterIt()
    {
        var renewals = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var deliveries = new ConcurrentQueue<QueueDelivery>();
        void Renewed(QueueRenewal renewal) => renewals.AddOrUpdate(renewal.MessageId, 1, (_, n) => n + 1);
        void Delivered(QueueDelivery delivery) => deliveries.Enqueue(delivery);
        api.Host.Queues.Renewed += Renewed;
        api.Host.Queues.Delivered += Delivered;
        try
        {
            var operationId = await api.Host.App.Services.GetRequiredService<BackgroundOperations>()
                .StartAsync(HeldWork.WorkKind, $"round-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}", null, "test", Ct);

            // Once the batch runs, it is held until its message was renewed often enough to cover two windows; without the
            // renewal it would have come back after one window and started a second time beside the first.
            await WaitForAsync(() => api.Held.Starts > 0 ? "started" : null, "the held batch started");
            renewals.Clear();
            var held = await WaitForAsync(() => renewals.FirstOrDefault(r => r.Value >= RenewalsHeld).Key, "the held batch's message was renewed");
            api.Held.Release();
            await api.AwaitOperationAsync(operationId);
            await WaitForAsync(() => deliveries.FirstOrDefault(d => d.MessageId == held), "the held batch's delivery ended");

            Assert.Equal(1, api.Held.Starts);
            var delivered = Assert.Single(deliveries, d => d.MessageId == held);
            Assert.Equal((1L, true), (delivered.DequeueCount, delivered.Succeeded));
            Assert.All(deliveries, d => Assert.Equal((1L, true), (d.DequeueCount, d.Succeeded)));
        }
        finally
        {
            api.Host.Queues.Renewed -= Renewed;
            api.Host.Queues.Delivered -= Delivered;
        }
    }

    /// <summary>Renewals every third of a window: six of them hold the message across two whole windows.</summary>
    private const int RenewalsHeld = 6;

    private static async Task<T> WaitForAsync<T>(Func<T?> found, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (found() is { } value)
            {
                return value;
            }

            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"not within a minute: {what}");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>A host of its own whose queue runner keeps a message invisible for three seconds at a time.</summary>
    public sealed class ShortWindowApi : GrantsHost
    {
        public override TimeProvider Clock => TimeProvider.System;

        public HeldWork Held { get; } = new();

        protected override void Configure(LocalHostOptions options)
        {
            options.Settings[QueueTriggers.InFlightVisibilitySetting] = "00:00:03";
            var common = options.ConfigureServices;
            options.ConfigureServices = services =>
            {
                common?.Invoke(services);
                services.AddSingleton<IBatchWork>(Held);
            };
        }
    }

    /// <summary>A kind of work whose one batch runs until the test releases it, counting how often it was started.</summary>
    public sealed class HeldWork : IBatchWork
    {
        public const string WorkKind = "test-held";

        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _starts;

        public string Kind => WorkKind;

        public int Starts => Volatile.Read(ref _starts);

        public void Release() => _released.TrySetResult();

        public Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.FromResult(new WorkPlan(["held"]));

        public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _starts);
            return _released.Task.WaitAsync(cancellationToken);
        }

        public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using Grants.Functions.Platform.Work;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// A kind of background work for the tests of the work itself: its items are whatever the round id's operation lists
/// (two), each done at once; finishing fails while <see cref="Failing"/> is set, as work whose last step meets a rule's
/// refusal or storage failing every time would.
/// </summary>
public sealed class FinishingThatFails : IBatchWork
{
    public const string WorkKind = "test-finishing";

    public string Kind => WorkKind;

    private int _finished;

    public bool Failing { get; set; } = true;

    /// <summary>How many times an operation of this kind finished.</summary>
    public int Finished => Volatile.Read(ref _finished);

    public Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken) => Task.FromResult(new WorkPlan(["first", "second"]));

    public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new InvalidOperationException($"Finishing {operation.Id} fails, as this work's finishing does until told otherwise.");
        }

        Interlocked.Increment(ref _finished);
        return Task.CompletedTask;
    }
}

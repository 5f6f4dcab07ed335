using Azure.Data.Tables;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.Work;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// A kind of background work for the tests of the work itself: while it lists its items and again while it finishes,
/// the operation's row is written beside it, as another delivery of the same message recording its failure would
/// (the row's count of attempts and its last error), so that the listing's and the finishing's own writes each meet a
/// row that changed since they read it.
/// </summary>
public sealed class WrittenBeside(StorageAccount storage) : IBatchWork
{
    public const string WorkKind = "test-written-beside";

    public string Kind => WorkKind;

    public async Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken)
    {
        await RecordFailureBesideAsync(operation, "listing", cancellationToken);
        return new WorkPlan(["first", "second"]);
    }

    public Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken) => RecordFailureBesideAsync(operation, "finishing", cancellationToken);

    private async Task RecordFailureBesideAsync(OperationRecord operation, string step, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Operations, cancellationToken);
        await table.UpdateEntityAsync(new TableEntity(operation.Id, BackgroundOperations.OperationRow)
        {
            ["Attempts"] = 1, ["LastError"] = $"Another delivery of the {step} failed.",
        }, Azure.ETag.All, TableUpdateMode.Merge, cancellationToken);
    }
}

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// Index rows that one part of the product keeps beside what it stores (docs/decisions/0018), written again from what
/// they index: for a store whose rows were written before an index existed, or whose index rows were lost. A repair
/// reads everything it indexes once, so it is an operator's command (<c>grants storage repair-indexes</c>), never a
/// request, a timer or a queue function. It writes only the rows that are missing, each as the product writes it, so a
/// second run, or one beside the running app, changes nothing twice: an index row is a hint its reader checks.
/// </summary>
public interface IIndexRepair
{
    /// <summary>What the rows index, as the operator reads it in the command's report.</summary>
    string Indexes { get; }

    /// <returns>How many rows were missing and are written now.</returns>
    Task<int> RepairAsync(CancellationToken cancellationToken);
}

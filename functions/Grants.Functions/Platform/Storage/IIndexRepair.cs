using Azure;
using Azure.Data.Tables;

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

/// <summary>How index rows are written: inserted, never replaced, so that one that is there already stays as it is.</summary>
public static class IndexRows
{
    /// <returns>Whether the row was missing and is written now (false: it was there, written by a retry, a commit or a run before).</returns>
    public static async Task<bool> InsertIfMissingAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}

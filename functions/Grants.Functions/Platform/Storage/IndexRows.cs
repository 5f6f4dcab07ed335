using Azure;
using Azure.Data.Tables;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// How index rows are written: inserted, never replaced, so that one that is there already (a retried create, a commit
/// or a repair before) stays as it is; an index row has no content a second writer could mean to replace.
/// </summary>
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

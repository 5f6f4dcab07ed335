using Azure;
using Grants.Contracts.Schemes;
using Grants.Domain.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Schemes;

/// <summary>Loading and shaping schemes: shared by the scheme handlers.</summary>
public sealed class SchemeStore(AggregateStore store)
{
    public const string AggregateType = "scheme";

    public static string NewId() => $"scheme-{Guid.NewGuid():N}";

    /// <summary>An id derived from the idempotent operation, so a retried create finds its own earlier result.</summary>
    public static string IdFor(string operationId) => $"scheme-{operationId[..32]}";

    public Task<StoredAggregate<SchemeData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("scheme-", StringComparison.Ordinal) ? store.FindAsync<SchemeData>(id, cancellationToken) : Task.FromResult<StoredAggregate<SchemeData>?>(null);

    /// <summary>Loads for an update: the stored ETag must match the one the client read.</summary>
    public async Task<StoredAggregate<SchemeData>?> FindForUpdateAsync(string id, ETag ifMatch, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(id, cancellationToken);
        if (stored is not null && stored.ETag != ifMatch)
        {
            throw new ConcurrencyConflictException(id);
        }

        // Carry the client's ETag into the write: the table checks it again atomically.
        return stored is null ? null : stored with { ETag = ifMatch };
    }

    public static IResult NotFound(string id) => Problems.Of(ProblemKind.NotFound, $"There is no scheme {id}.");

    public static SchemeResponse ToResponse(StoredAggregate<SchemeData> stored) => new(
        stored.Id,
        stored.State.Name,
        stored.State.Instrument.ToString(),
        stored.State.Description,
        stored.State.Status.ToString(),
        stored.State.RetiredReason,
        stored.Version);
}

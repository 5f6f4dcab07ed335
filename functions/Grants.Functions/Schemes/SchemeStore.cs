using Grants.Domain.Schemes;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Schemes;

/// <summary>Loads schemes: the aggregates every scheme use case acts on.</summary>
public sealed class SchemeStore(AggregateStore store) : IAggregates<SchemeData>
{
    public const string AggregateType = "scheme";

    public string Type => AggregateType;

    public static string NewId() => $"scheme-{Guid.NewGuid():N}";

    /// <summary>An id derived from the idempotent operation, so a retried create finds its own earlier result.</summary>
    public static string IdFor(string operationId) => $"scheme-{operationId[..32]}";

    public Task<StoredAggregate<SchemeData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("scheme-", StringComparison.Ordinal) ? store.FindAsync<SchemeData>(id, cancellationToken) : Task.FromResult<StoredAggregate<SchemeData>?>(null);

    public Task<IReadOnlyList<StoredAggregate<SchemeData>>> ListAsync(CancellationToken cancellationToken) =>
        store.ListAsync<SchemeData>(AggregateType, cancellationToken);

    public string NotFoundDetail(string id) => $"There is no scheme {id}.";

    /// <summary>The failure of a use case that names a scheme there is not.</summary>
    public static Failure NotFound(string id) => Failure.NotFound($"There is no scheme {id}.");
}

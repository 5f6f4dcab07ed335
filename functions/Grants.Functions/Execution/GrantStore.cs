using Grants.Domain.Execution;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Execution;

/// <summary>Loads grants: the agreements of accepted project subsidies.</summary>
public sealed class GrantStore(AggregateStore store) : IAggregates<GrantData>
{
    public const string AggregateType = "grant";

    public string Type => AggregateType;

    public Task<StoredAggregate<GrantData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("grant-", StringComparison.Ordinal) ? store.FindAsync<GrantData>(id, cancellationToken) : Task.FromResult<StoredAggregate<GrantData>?>(null);

    public Task<StoredAggregate<GrantData>?> OfApplicationAsync(string applicationId, CancellationToken cancellationToken) =>
        store.FindAsync<GrantData>(GrantAgreement.IdFor(applicationId), cancellationToken);

    public Task<IReadOnlyList<StoredAggregate<GrantData>>> AllAsync(CancellationToken cancellationToken) => store.ListAsync<GrantData>(AggregateType, cancellationToken);

    public string NotFoundDetail(string id) => $"No grant {id} of yours.";
}

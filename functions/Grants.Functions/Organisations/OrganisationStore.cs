using Grants.Domain.Organisations;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Organisations;

/// <summary>Loads organisations, stored under their KvK number.</summary>
public sealed class OrganisationStore(AggregateStore store, RecentAggregates recent) : IAggregates<OrganisationData>
{
    public const string AggregateType = "organisation";

    public string Type => AggregateType;

    public static string IdFor(string kvk) => $"org-{kvk}";

    /// <summary>The organisation with this KvK number.</summary>
    public Task<StoredAggregate<OrganisationData>?> FindByKvkAsync(string kvk, CancellationToken cancellationToken) =>
        Organisation.IsValidKvk(kvk) ? store.FindAsync<OrganisationData>(IdFor(kvk), cancellationToken) : Task.FromResult<StoredAggregate<OrganisationData>?>(null);

    /// <summary>As <see cref="FindByKvkAsync"/>, possibly a moment old (<see cref="RecentAggregates"/>): for copying the applicant's details into a new draft.</summary>
    public Task<StoredAggregate<OrganisationData>?> FindRecentAsync(string kvk, CancellationToken cancellationToken) =>
        Organisation.IsValidKvk(kvk) ? recent.FindAsync<OrganisationData>(IdFor(kvk), cancellationToken) : Task.FromResult<StoredAggregate<OrganisationData>?>(null);

    /// <summary>By aggregate id (org-{kvk}), as the command executor finds aggregates.</summary>
    public Task<StoredAggregate<OrganisationData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("org-", StringComparison.Ordinal) ? FindByKvkAsync(id["org-".Length..], cancellationToken) : Task.FromResult<StoredAggregate<OrganisationData>?>(null);

    public string NotFoundDetail(string id) => OrganisationAccess.NotVisible(id.StartsWith("org-", StringComparison.Ordinal) ? id["org-".Length..] : id).Detail;
}

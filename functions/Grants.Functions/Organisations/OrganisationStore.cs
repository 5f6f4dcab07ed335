using Grants.Contracts.Organisations;
using Grants.Domain.Organisations;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Organisations;

public sealed class OrganisationStore(AggregateStore store, RecentAggregates recent)
{
    public const string AggregateType = "organisation";

    public static string IdFor(string kvk) => $"org-{kvk}";

    public Task<StoredAggregate<OrganisationData>?> FindAsync(string kvk, CancellationToken cancellationToken) =>
        Organisation.IsValidKvk(kvk) ? store.FindAsync<OrganisationData>(IdFor(kvk), cancellationToken) : Task.FromResult<StoredAggregate<OrganisationData>?>(null);

    /// <summary>As <see cref="FindAsync"/>, possibly a moment old (<see cref="RecentAggregates"/>): for copying the applicant's details into a new draft.</summary>
    public Task<StoredAggregate<OrganisationData>?> FindRecentAsync(string kvk, CancellationToken cancellationToken) =>
        Organisation.IsValidKvk(kvk) ? recent.FindAsync<OrganisationData>(IdFor(kvk), cancellationToken) : Task.FromResult<StoredAggregate<OrganisationData>?>(null);

    /// <summary>Applicants and suppliers see only the organisation their token acts for; the ministry sees all.</summary>
    public static bool MaySee(Caller caller, string kvk) => caller.HasRole(Roles.Ministry) || caller.Organisation == kvk;

    public static IResult NotFound(string kvk) => Problems.Of(ProblemKind.NotFound, $"There is no organisation {kvk} that you may see.");

    public static OrganisationResponse ToResponse(OrganisationData organisation) => new(
        organisation.Kvk, organisation.LegalName, organisation.Sector, organisation.SizeClass, organisation.IsPublic, organisation.PreferredLanguage,
        [.. organisation.Representatives.Select(r => new RepresentativeResponse(r.Name, r.Email))], organisation.RegisteredAt);
}

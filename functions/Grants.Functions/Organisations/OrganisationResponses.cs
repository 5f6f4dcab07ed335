using Grants.Contracts.Organisations;
using Grants.Domain.Organisations;

namespace Grants.Functions.Organisations;

/// <summary>How an organisation is shown through the API.</summary>
public static class OrganisationResponses
{
    public static OrganisationResponse From(OrganisationData organisation) => new(
        organisation.Kvk, organisation.LegalName, organisation.Sector, organisation.SizeClass, organisation.IsPublic, organisation.PreferredLanguage,
        [.. organisation.Representatives.Select(r => new RepresentativeResponse(r.Name, r.Email))], organisation.RegisteredAt);

    public static string Location(OrganisationData organisation) => $"/api/organisations/{organisation.Kvk}";
}

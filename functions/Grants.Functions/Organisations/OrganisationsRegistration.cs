using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Organisations;

/// <summary>The Organisations feature's services; its functions are found by the Functions host.</summary>
public static class OrganisationsRegistration
{
    public static IServiceCollection AddOrganisations(this IServiceCollection services) => services
        .AddSingleton<OrganisationStore>()
        .AddSingleton<RegisterOrganisationHandler>();
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.OpenData;

/// <summary>The OpenData feature's services: what Grants publishes for anyone (360Giving, the subsidy register); its functions are found by the Functions host.</summary>
public static class OpenDataRegistration
{
    public static IServiceCollection AddOpenData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenDataOptions>().Bind(configuration.GetSection(OpenDataOptions.SectionName))
            .Validate(o => o.IsValid, $"{OpenDataOptions.SectionName}: GrantIdPrefix must be 360G-<prefix>, FunderOrgId an org-id (XX-SCHEME-id), FunderName given and License an absolute URI.")
            .ValidateOnStart();
        return services
            .AddSingleton<PublishedAwards>()
            .AddSingleton<ThreeSixtyGivingPublisher>()
            .AddSingleton<SubsidyRegister>()
            .AddSingleton<CommonGrantsOpportunities>();
    }
}

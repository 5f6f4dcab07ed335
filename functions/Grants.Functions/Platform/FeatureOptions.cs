using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Platform;

/// <summary>How a feature's registration binds the settings it reads, from the configuration section that the options type names.</summary>
public static class FeatureOptions
{
    public static IServiceCollection BindOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section));
        return services;
    }
}

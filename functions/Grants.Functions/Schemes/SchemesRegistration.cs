using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Schemes;

/// <summary>The Schemes feature's services; its functions are found by the Functions host.</summary>
public static class SchemesRegistration
{
    public static IServiceCollection AddSchemes(this IServiceCollection services) => services
        .AddSingleton<SchemeStore>()
        .AddSingleton<CreateSchemeHandler>()
        .AddSingleton<RenameSchemeHandler>()
        .AddSingleton<RetireSchemeHandler>();
}

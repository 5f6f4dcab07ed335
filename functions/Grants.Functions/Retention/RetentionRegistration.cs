using Grants.Functions.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Retention;

/// <summary>The Retention feature's services; its timer is found by the Functions host.</summary>
public static class RetentionRegistration
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration) => services
        .BindOptions<RetentionOptions>(configuration, RetentionOptions.SectionName)
        .AddSingleton<RecordErasure>()
        .AddSingleton<RetentionSweep>();
}

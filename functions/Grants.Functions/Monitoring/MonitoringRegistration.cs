using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Monitoring;

/// <summary>The Monitoring feature's services; its functions are found by the Functions host.</summary>
public static class MonitoringRegistration
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services) => services
        .AddSingleton<MonitoringReader>()
        .AddSingleton<GetRoundMonitoringHandler>()
        .AddSingleton<GetSchemeMonitoringHandler>();
}

using Grants.Functions.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Execution;

/// <summary>The Execution feature's services; its functions are found by the Functions host.</summary>
public static class ExecutionRegistration
{
    public static IServiceCollection AddExecution(this IServiceCollection services, IConfiguration configuration) => services
        .BindOptions<ExecutionOptions>(configuration, ExecutionOptions.SectionName)
        .AddSingleton<GrantStore>()
        .AddSingleton<StartGrantHandler>()
        .AddSingleton<Platform.Events.IEventSubscriber, StartGrantOnAcceptance>()
        .AddSingleton<GetApplicationGrantHandler>()
        .AddSingleton<PayAdvanceHandler>()
        .AddSingleton<SubmitProjectReportHandler>()
        .AddSingleton<SettleGrantHandler>()
        .AddSingleton<WatchReportDeadlinesHandler>();
}

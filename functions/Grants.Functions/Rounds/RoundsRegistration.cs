using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Rounds;

/// <summary>The Rounds feature's services; its functions are found by the Functions host.</summary>
public static class RoundsRegistration
{
    public static IServiceCollection AddRounds(this IServiceCollection services) => services
        .AddSingleton<RoundStore>()
        .AddSingleton<CloseDueRoundsHandler>()
        .AddSingleton<CreateRoundHandler>()
        .AddSingleton<ConfigureRoundHandler>()
        .AddSingleton<OpenRoundHandler>()
        .AddSingleton<CloseRoundHandler>();
}

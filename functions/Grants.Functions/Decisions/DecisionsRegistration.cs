using Grants.Functions.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Decisions;

/// <summary>The Decisions feature's services; its functions are found by the Functions host.</summary>
public static class DecisionsRegistration
{
    public static IServiceCollection AddDecisions(this IServiceCollection services, IConfiguration configuration) => services
        .BindOptions<DecisionOptions>(configuration, DecisionOptions.SectionName)
        .AddSingleton<DecisionDocuments>()
        .AddSingleton<AwardCommitment>()
        .AddSingleton<AwardApplicationHandler>()
        .AddSingleton<ApproveAwardHandler>()
        .AddSingleton<RejectApplicationHandler>()
        .AddSingleton<AnswerAwardHandler>()
        .AddSingleton<LodgeObjectionHandler>()
        .AddSingleton<DecideObjectionHandler>()
        .AddSingleton<FlagOverdueObjectionsHandler>()
        .AddSingleton<LapseAwardsHandler>();
}

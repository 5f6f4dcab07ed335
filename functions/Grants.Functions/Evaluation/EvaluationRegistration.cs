using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Evaluation;

/// <summary>The Evaluation feature's services; its functions are found by the Functions host.</summary>
public static class EvaluationRegistration
{
    public static IServiceCollection AddEvaluation(this IServiceCollection services) => services
        .AddSingleton<EvaluationExport>()
        .AddSingleton<EvaluateRoundHandler>()
        .AddSingleton<GetPowerPlanHandler>()
        .AddSingleton<AmendAnalysisPlanHandler>();
}

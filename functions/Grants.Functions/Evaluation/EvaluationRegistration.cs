using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Evaluation;

/// <summary>The Evaluation feature's services; its functions are found by the Functions host.</summary>
public static class EvaluationRegistration
{
    public static IServiceCollection AddEvaluation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EvaluationOptions>().Bind(configuration.GetSection(EvaluationOptions.SectionName))
            .Validate(o => o.HasValidKey, $"{EvaluationOptions.SectionName}:{nameof(EvaluationOptions.PseudonymKey)} must be base64 of at least 32 bytes (a Key Vault reference in Azure).")
            .ValidateOnStart();
        return services
            .AddSingleton<EvaluationExport>()
            .AddSingleton<EvaluateRoundHandler>()
            .AddSingleton<GetPowerPlanHandler>()
            .AddSingleton<AmendAnalysisPlanHandler>();
    }
}

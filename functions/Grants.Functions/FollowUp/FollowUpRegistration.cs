using Grants.Functions.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.FollowUp;

/// <summary>The FollowUp feature's services; its functions are found by the Functions host.</summary>
public static class FollowUpRegistration
{
    public static IServiceCollection AddFollowUp(this IServiceCollection services, IConfiguration configuration) => services
        .BindOptions<FollowUpOptions>(configuration, FollowUpOptions.SectionName)
        .AddSingleton<SurveyStore>()
        .AddSingleton<SurveyAccess>()
        .AddSingleton<QuestionnaireAccess>()
        .AddSingleton<ScheduleSurveysHandler>()
        .AddSingleton<Lottery.IPoolFollowUp>(sp => sp.GetRequiredService<ScheduleSurveysHandler>())
        .AddSingleton<RunFollowUpHandler>()
        .AddSingleton<ListApplicationSurveysHandler>()
        .AddSingleton<AddSurveyRespondentHandler>()
        .AddSingleton<WithdrawFollowUpConsentHandler>()
        .AddSingleton<GetFollowUpMonitorHandler>()
        .AddSingleton<ShowQuestionnaireHandler>()
        .AddSingleton<AnswerQuestionnaireHandler>();
}

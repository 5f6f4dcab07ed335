using Grants.Functions.Applications.Attachments;
using Grants.Functions.Platform;
using Grants.Functions.Platform.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Applications;

/// <summary>The Applications feature's services; its functions are found by the Functions host.</summary>
public static class ApplicationsRegistration
{
    public static IServiceCollection AddApplications(this IServiceCollection services, IConfiguration configuration) => services
        .BindOptions<Attachments.AttachmentOptions>(configuration, Attachments.AttachmentOptions.SectionName)
        .AddSingleton<ApplicationStore>()
        .AddSingleton<ApplicationAccess>()
        .AddSingleton<AttachmentStore>()
        .AddSingleton<StartApplicationHandler>()
        .AddSingleton<EditApplicationHandler>()
        .AddSingleton<SubmitApplicationHandler>()
        .AddSingleton<WithdrawApplicationHandler>()
        .AddSingleton<UploadAttachmentHandler>()
        .AddSingleton<DownloadAttachmentHandler>()
        .AddSingleton<RequestInformationHandler>()
        .AddSingleton<AnswerInformationRequestHandler>()
        .AddSingleton<DecideEligibilityHandler>()
        .AddSingleton<ExpireInformationRequestsHandler>()
        .AddOperationOn(Domain.Rounds.RoundEvents.Closed, ClosureNotices.Kind)
        .AddSingleton<Platform.Work.IBatchWork, ClosureNotices>()
        .AddSingleton<GetApplicationHandler>()
        .AddSingleton<ListRoundApplicationsHandler>()
        .AddSingleton<CountRoundApplicationsHandler>()
        .AddSingleton<ListOrganisationApplicationsHandler>();
}

using Grants.Domain.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

/// <summary>Every five minutes: an information request past its deadline makes the application ineligible, and the applicant is told.</summary>
public sealed class ExpireInformationRequests(ExpireInformationRequestsHandler handler)
{
    [Function(nameof(ExpireInformationRequests))]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => handler.HandleAsync(cancellationToken);
}

/// <summary>Expires each overdue information request once; an application the applicant answered meanwhile is left alone.</summary>
public sealed class ExpireInformationRequestsHandler(ApplicationStore applications, TimeProvider time)
{
    public const string SystemActor = "system:information-request-timer";

    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await applications.UpdateEachAsync(ApplicationStatus.InformationRequested, a => a.IsInformationOverdue(now), a =>
        {
            a.ExpireInformationRequest(now);
            return Change.Of(new PendingAuditEvent("InformationRequestExpired", a.Data.Eligibility), ApplicantMail.EligibilityDecided(a.Data));
        }, SystemActor, cancellationToken);
    }
}

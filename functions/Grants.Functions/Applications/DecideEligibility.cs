using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Decide whether a submitted application is eligible (ontvankelijk)", Tag = "Applications", Request = typeof(DecideEligibilityRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class DecideEligibility(RequestGate gate, DecideEligibilityHandler handler)
{
    [Function(nameof(DecideEligibility))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/eligibility")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DecideEligibility, DecideEligibilityRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>Records the eligibility decision with its reasons; the applicant is told in the same commit.</summary>
public sealed class DecideEligibilityHandler(CommandExecutor commands, ApplicationStore applications, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, DecideEligibilityRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(applications, applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.DecideEligibility(request.Outcome == "eligible", request.ReasonCodes ?? [], request.Note, caller.AuditName, time.GetUtcNow());
            return ApplicationStore.Commit(application, new PendingAuditEvent("EligibilityDecided", application.Data.Eligibility), ApplicantMail.EligibilityDecided(application.Data));
        }, cancellationToken);
}

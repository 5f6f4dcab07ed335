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
[ApiOperation("Ask the applicant for missing information, with a deadline", Tag = "Applications", Request = typeof(RequestInformationRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class RequestInformation(RequestGate gate, RequestInformationHandler handler)
{
    [Function(nameof(RequestInformation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/information-requests")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RequestInformation, RequestInformationRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>Asks the applicant a question with a deadline; the question goes out by mail with the change.</summary>
public sealed class RequestInformationHandler(CommandExecutor commands, ApplicationStore applications, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, RequestInformationRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(applications, applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            var asked = application.RequestInformation(request.Question, request.Deadline, time.GetUtcNow());
            return ApplicationStore.Commit(application, new PendingAuditEvent("InformationRequested", asked), ApplicantMail.InformationRequested(application.Data, asked));
        }, cancellationToken);
}

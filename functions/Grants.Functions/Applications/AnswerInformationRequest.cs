using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Answer an open request for information", Tag = "Applications", Request = typeof(InformationAnswerRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class AnswerInformationRequest(RequestGate gate, AnswerInformationRequestHandler handler)
{
    [Function(nameof(AnswerInformationRequest))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/information-requests/{requestId}/answer")] HttpRequest request,
        string applicationId,
        string requestId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AnswerInformationRequest, InformationAnswerRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, requestId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>The applicant answers the ministry's open question; the application returns to the eligibility check.</summary>
public sealed class AnswerInformationRequestHandler(CommandExecutor commands, ApplicationAccess access, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, string requestId, InformationAnswerRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.SupplyInformation(requestId, request.Answer, time.GetUtcNow());
            return ApplicationStore.Commit(application, new PendingAuditEvent("InformationSupplied", new { requestId }));
        }, cancellationToken);
}

using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Reject with reason codes; the budget goes to the next on the reserve list", Tag = "Decisions", Request = typeof(RejectRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class RejectApplication(RequestGate gate, RejectApplicationHandler handler)
{
    [Function(nameof(RejectApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/reject")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RejectApplication, RejectRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(stored => ApplicationStore.ToResponse(stored)), cancellationToken);
}

/// <summary>A rejection with its reasons, kept as its decision letter; its budget then goes down the published reserve list.</summary>
public sealed class RejectApplicationHandler(CommandExecutor commands, ApplicationStore applications, RoundStore rounds, DecisionDocuments documents, CutoffChanges cutoff, TimeProvider time)
{
    public async Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, RejectRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var rejected = await commands.ChangeAsync(applications, applicationId, ifMatch: null, caller.AuditName, async stored =>
        {
            if (await rounds.FindAsync(stored.State.RoundId, cancellationToken) is not { } round)
            {
                return RoundStore.NotFound(stored.State.RoundId);
            }

            var application = new Application(stored.State);
            application.Reject(request.ReasonCodes, request.Note, caller.AuditName, time.GetUtcNow());
            var change = await documents.KeepAsync(application.Data, round.State, "rejection", "ApplicationRejected", cancellationToken);
            return new Commit<ApplicationData>(application.Data, application.Data.Status.ToString(), change);
        }, cancellationToken);

        // Also when an earlier attempt of this request stored the rejection: the release is idempotent and may not have happened.
        if (rejected.Value is { } saved)
        {
            await cutoff.AfterReleaseAsync(saved.State, "rejection", $"Application {saved.State.PoolId} was rejected.", caller, cancellationToken);
        }

        return rejected;
    }
}

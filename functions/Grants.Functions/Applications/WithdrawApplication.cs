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
[ApiOperation("Withdraw your application while it is not yet decided", Tag = "Applications", Request = typeof(WithdrawApplicationRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class WithdrawApplication(RequestGate gate, WithdrawApplicationHandler handler)
{
    [Function(nameof(WithdrawApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/withdraw")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<WithdrawApplication, WithdrawApplicationRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// Withdraws the application, which gives up its place (<see cref="ApplicationEvents.PlaceReleased"/>): where it was
/// drawn, its budget goes back to the round and the cut-off moves down the reserve list.
/// </summary>
public sealed class WithdrawApplicationHandler(CommandExecutor commands, ApplicationAccess access, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, WithdrawApplicationRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.Withdraw(request.Reason, time.GetUtcNow());
            var commit = ApplicationStore.Commit(application, new PendingAuditEvent("ApplicationWithdrawn", new { reason = application.Data.WithdrawalReason }));
            return commit with { Change = commit.Change.Raising(new OutboxEvent(ApplicationEvents.PlaceReleased, PlaceReleases.Withdrawal)) };
        }, cancellationToken);
}

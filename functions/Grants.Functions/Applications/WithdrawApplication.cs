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
/// Withdraws the application. One that was drawn gives up its place: its budget goes back to the round and the
/// cut-off moves to the next on the published reserve list — repeated on a retry, which the release allows.
/// </summary>
public sealed class WithdrawApplicationHandler(CommandExecutor commands, ApplicationAccess access, Lottery.CutoffChanges cutoff, TimeProvider time)
{
    public async Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, WithdrawApplicationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var withdrawn = await commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.Withdraw(request.Reason, time.GetUtcNow());
            return ApplicationStore.Commit(application, new PendingAuditEvent("ApplicationWithdrawn", new { reason = application.Data.WithdrawalReason }));
        }, cancellationToken);

        if (withdrawn.Value is { State: { Status: ApplicationStatus.Withdrawn, PoolId: not null } state })
        {
            await cutoff.AfterWithdrawalAsync(state, caller, cancellationToken);
        }

        return withdrawn;
    }
}

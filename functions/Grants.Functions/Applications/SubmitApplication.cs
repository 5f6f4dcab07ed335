using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Submit your application: you get a receipt number and an email", Tag = "Applications", Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class SubmitApplication(RequestGate gate, SubmitApplicationHandler handler)
{
    [Function(nameof(SubmitApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/submit")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<SubmitApplication>(request, async (caller, ct) => (await handler.HandleAsync(applicationId, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// Submits the draft while its round is open, against the round's configuration as stored (not a cached copy):
/// the receipt number and the receipt mail are committed with it. A retry of a submission made in time is
/// answered with it even after the round has closed.
/// </summary>
public sealed class SubmitApplicationHandler(CommandExecutor commands, ApplicationAccess access, RoundStore rounds, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch: null, caller.AuditName, async stored =>
        {
            if (await rounds.FindAsync(stored.State.RoundId, cancellationToken) is not { } round)
            {
                return RoundStore.NotFound(stored.State.RoundId);
            }

            var application = new Application(stored.State);
            application.Submit(round.State, time.GetUtcNow());
            return (Result<Commit<ApplicationData>>)ApplicationStore.Commit(application,
                new PendingAuditEvent("ApplicationSubmitted", new { application.Data.ReceiptNumber, application.Data.SubmittedAt, application.Data.AutomaticFindings }),
                ApplicantMail.Receipt(application.Data, round.State.Name));
        }, cancellationToken);
}

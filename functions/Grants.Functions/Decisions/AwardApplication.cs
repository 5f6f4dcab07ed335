using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Award a selected application (committed through the budget ledger; above the four-eyes threshold only proposed)", Tag = "Decisions", Request = typeof(AwardRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class AwardApplication(RequestGate gate, AwardApplicationHandler handler)
{
    [Function(nameof(AwardApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/award")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AwardApplication, AwardRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// Awards an application: decided at once and committed through the budget ledger (<see cref="AwardCommitment"/>),
/// or, above the four-eyes threshold, only proposed until another ministry member approves it.
/// </summary>
public sealed class AwardApplicationHandler(
    CommandExecutor commands, ApplicationStore applications, RoundStore rounds, AssessmentStore assessments, AwardCommitment award, IOptions<DecisionOptions> options, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, AwardRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(applications, applicationId, ifMatch: null, caller.AuditName, async stored =>
        {
            if (await rounds.FindAsync(stored.State.RoundId, cancellationToken) is not { } round)
            {
                return RoundStore.NotFound(stored.State.RoundId);
            }

            var assessment = await assessments.FindAsync(Domain.Assessments.Assessment.IdFor(applicationId), cancellationToken);
            var application = new Application(stored.State);
            application.Award(request.AmountCents, round.State.Configuration, assessment?.State, options.Value.FourEyesThresholdCents, caller.Subject, time.GetUtcNow(),
                TimeSpan.FromDays(options.Value.AcceptanceDays));
            return application.AwaitsSecondApproval
                ? new Commit<ApplicationData>(application.Data, application.Data.Status.ToString(), Change.Of(new PendingAuditEvent("AwardProposed", application.Data.Award)))
                : await award.CommitAsync(application, round.State, caller, "AwardDecided", cancellationToken);
        }, cancellationToken);
}

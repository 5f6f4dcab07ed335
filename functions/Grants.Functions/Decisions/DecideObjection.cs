using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Assessments;
using Grants.Functions.Notifications;
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
[ApiOperation("Decide an objection: upheld returns the application to the award path; dismissed makes the rejection final", Tag = "Decisions", Request = typeof(DecideObjectionRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class DecideObjection(RequestGate gate, DecideObjectionHandler handler)
{
    [Function(nameof(DecideObjection))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/objection/decision")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DecideObjection, DecideObjectionRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// Upheld: back to the award path, where the ledger decides whether the remaining budget allows an award.
/// The decision is a decision letter like the award and the rejection: kept with them and mailed.
/// </summary>
public sealed class DecideObjectionHandler(CommandExecutor commands, ApplicationStore applications, RoundStore rounds, DecisionDocuments documents, AssessmentAssignment assignment, TimeProvider time)
{
    public async Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, DecideObjectionRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var decided = await commands.ChangeAsync(applications, applicationId, ifMatch: null, caller.AuditName, async stored =>
        {
            var application = new Application(stored.State);
            application.DecideObjection(request.Upheld, request.Reasoning, time.GetUtcNow());
            var change = await documents.KeepAsync(application.Data, ApplicantMail.ObjectionDecided(application.Data), "objection-decision",
                request.Upheld ? "ObjectionUpheld" : "ObjectionDismissed", letter => new { objection = application.Data.Objection, letter }, cancellationToken);
            return new Commit<ApplicationData>(application.Data, application.Data.Status.ToString(), change);
        }, cancellationToken);

        // From the decision as stored, so that a retry assigns it if an earlier attempt stopped short.
        if (decided.Value is { State.Status: ApplicationStatus.Selected } upheld)
        {
            await AssignAsync(upheld, cancellationToken);
        }

        return decided;
    }

    /// <summary>Upheld: rejected before the committee advised, it now waits for that advice like anyone selected.</summary>
    private async Task AssignAsync(StoredAggregate<ApplicationData> upheld, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(upheld.State.RoundId, cancellationToken) is { } round)
        {
            await assignment.AssignMovedUpAsync(round.State, [upheld.Id], cancellationToken, AssessmentAssignment.ObjectionActor);
        }
    }
}

using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Accept or decline your award before its deadline", Tag = "Decisions", Request = typeof(AnswerAwardRequest), Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class AnswerAward(RequestGate gate, AnswerAwardHandler handler)
{
    [Function(nameof(AnswerAward))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/award/answer")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AnswerAward, AnswerAwardRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>
/// The grantee accepts or declines its award. What follows is another feature's part, handed over as an event with
/// the answer: a decline releases the place down the reserve list (<see cref="ApplicationEvents.PlaceReleased"/>);
/// an acceptance starts the grant of a project subsidy (<see cref="ApplicationEvents.AwardAccepted"/>).
/// </summary>
public sealed class AnswerAwardHandler(CommandExecutor commands, ApplicationAccess access, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, AnswerAwardRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.Answer(request.Accept, time.GetUtcNow());
            var commit = ApplicationStore.Commit(application, new PendingAuditEvent(request.Accept ? "AwardAccepted" : "AwardDeclined", application.Data.Acceptance));
            var follows = request.Accept ? new OutboxEvent(ApplicationEvents.AwardAccepted) : new OutboxEvent(ApplicationEvents.PlaceReleased, PlaceReleases.Decline);
            return commit with { Change = commit.Change.Raising(follows) };
        }, cancellationToken);
}

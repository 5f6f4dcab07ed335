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
            (await handler.HandleAsync(applicationId, body, caller, ct)).Ok(stored => ApplicationStore.ToResponse(stored)), cancellationToken);
}

/// <summary>
/// The grantee accepts or declines its award. What follows the answer runs from the answer as stored and is
/// idempotent, so a retry of the request completes it if an earlier attempt stopped short: a decline releases
/// the budget down the reserve list; an accepted project subsidy starts its grant.
/// </summary>
public sealed class AnswerAwardHandler(CommandExecutor commands, DecisionAccess access, RoundStore rounds, CutoffChanges cutoff, Execution.StartGrantHandler startGrant, TimeProvider time)
{
    public async Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, AnswerAwardRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var answered = await commands.ChangeAsync(access.OwnedBy(caller), applicationId, ifMatch: null, caller.AuditName, stored =>
        {
            var application = new Application(stored.State);
            application.Answer(request.Accept, time.GetUtcNow());
            return new Commit<ApplicationData>(application.Data, application.Data.Status.ToString(),
                Change.Of(new PendingAuditEvent(request.Accept ? "AwardAccepted" : "AwardDeclined", application.Data.Acceptance)));
        }, cancellationToken);

        if (answered.Value is { } saved)
        {
            if (request.Accept)
            {
                await StartGrantAsync(saved, cancellationToken);
            }
            else
            {
                await cutoff.AfterReleaseAsync(saved.State, "decline", $"The award to {saved.State.PoolId} was declined.", caller, cancellationToken);
            }
        }

        return answered;
    }

    /// <summary>An accepted project subsidy starts its grant (a no-op for a voucher, and for a grant started before).</summary>
    private async Task StartGrantAsync(StoredAggregate<ApplicationData> accepted, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(accepted.State.RoundId, cancellationToken) is { } round)
        {
            await startGrant.HandleAsync(accepted.State, round.State, cancellationToken);
        }
    }
}

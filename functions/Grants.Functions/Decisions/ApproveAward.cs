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
using Microsoft.Extensions.Options;

namespace Grants.Functions.Decisions;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Second approval of a proposed award, by another ministry member than the proposer", Tag = "Decisions", Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class ApproveAward(RequestGate gate, ApproveAwardHandler handler)
{
    [Function(nameof(ApproveAward))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{applicationId}/award/approve")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ApproveAward>(request, async (caller, ct) =>
            (await handler.HandleAsync(applicationId, caller, ct)).Ok(ApplicationResponses.From), cancellationToken);
}

/// <summary>The second approval decides a proposed award, committed through the budget ledger like any award (<see cref="AwardCommitment"/>).</summary>
public sealed class ApproveAwardHandler(CommandExecutor commands, ApplicationStore applications, RoundStore rounds, AwardCommitment award, IOptions<DecisionOptions> options, TimeProvider time)
{
    public Task<Result<StoredAggregate<ApplicationData>>> HandleAsync(string applicationId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(applications, applicationId, ifMatch: null, caller.AuditName, async stored =>
        {
            if (await rounds.FindAsync(stored.State.RoundId, cancellationToken) is not { } round)
            {
                return RoundStore.NotFound(stored.State.RoundId);
            }

            var application = new Application(stored.State);
            application.ApproveAward(caller.Subject, round.State.Configuration, time.GetUtcNow(), TimeSpan.FromDays(options.Value.AcceptanceDays));
            return await award.CommitAsync(application, round.State, caller, "AwardApproved", cancellationToken);
        }, cancellationToken);
}

using Grants.Contracts.Rounds;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Open a round: its configuration freezes; applications are accepted between its opening and closing times", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true)]
public sealed class OpenRound(RequestGate gate, OpenRoundHandler handler)
{
    [Function(nameof(OpenRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/open")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<OpenRound>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct)).Ok(RoundResponses.From), cancellationToken);
}

/// <summary>Opens a round: its configuration freezes and its analysis plan is committed; the lottery announces it (<see cref="RoundEvents.Opened"/>).</summary>
public sealed class OpenRoundHandler(CommandExecutor commands, RoundStore rounds, Schemes.SchemeStore schemes, TimeProvider time)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, async stored =>
        {
            // Read as it is now: a scheme retired since the draft was made opens no round.
            var scheme = await schemes.FindAsync(stored.State.SchemeId, cancellationToken)
                ?? throw new InvalidOperationException($"Round {roundId} names scheme {stored.State.SchemeId}, which is not stored.");
            var round = new Round(stored.State);
            round.Open(scheme.State, time.GetUtcNow());
            var auditEvent = new PendingAuditEvent("RoundOpened", new { configurationVersion = round.Data.Configuration.Version, analysisPlanHash = round.Data.AnalysisPlan!.Hash });
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(auditEvent).Raising(new OutboxEvent(RoundEvents.Opened)));
        }, cancellationToken);
}

using Azure;
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
[ApiOperation("Change a draft round's configuration (a new version; frozen once open)", Tag = "Rounds", Request = typeof(ConfigureRoundRequest), Response = typeof(RoundResponse), RequiresIfMatch = true, ReturnsETag = true)]
public sealed class ConfigureRound(RequestGate gate, ConfigureRoundHandler handler)
{
    [Function(nameof(ConfigureRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "rounds/{roundId}/configuration")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunUpdateAsync<ConfigureRound, ConfigureRoundRequest>(request, async (caller, ifMatch, body, ct) =>
            (await handler.HandleAsync(roundId, ifMatch, body, caller, ct)).Ok(RoundResponses.From), cancellationToken);
}

/// <summary>Gives a draft round a new version of its configuration; the round machine refuses it once the round is open.</summary>
public sealed class ConfigureRoundHandler(CommandExecutor commands, RoundStore rounds)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, ETag ifMatch, ConfigureRoundRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            round.Configure(RoundConfigurations.ToDomain(request.Configuration));
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(new PendingAuditEvent("RoundConfigured", round.Data.Configuration)));
        }, cancellationToken);
}

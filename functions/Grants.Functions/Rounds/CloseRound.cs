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
[ApiOperation("Close a round now (it also closes by itself at its closing time); every applicant is told", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true)]
public sealed class CloseRound(RequestGate gate, CloseRoundHandler handler)
{
    [Function(nameof(CloseRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/close")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CloseRound>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct)).Ok(RoundResponses.From), cancellationToken);
}

/// <summary>Closes a round now, as the closing timer does at its closing time (<see cref="RoundClosing"/>).</summary>
public sealed class CloseRoundHandler(CommandExecutor commands, RoundStore rounds, RoundClosing closing)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken) =>
        commands.ActAsync(rounds, roundId, stored => closing.CloseAsync(stored, caller.AuditName, cancellationToken), cancellationToken);
}

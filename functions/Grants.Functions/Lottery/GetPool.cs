using Grants.Contracts.Rounds;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("Read a round's frozen pool: canonical JSON, hash and entries with baseline covariates", Tag = "Rounds", Response = typeof(PoolResponse))]
public sealed class GetPool(RequestGate gate, RoundStore rounds, PoolStore pools)
{
    [Function(nameof(GetPool))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/pool")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetPool>(request, async (_, ct) =>
            (await rounds.FindAsync(roundId, ct) is { State.PoolHash: not null } stored
                ? await pools.ReadAsync(stored.State, ct)
                : (Result<FrozenPool>)Failure.NotFound($"Round {roundId} has no frozen pool.")).Ok(PoolResponses.From),
            cancellationToken);
}

using Grants.Contracts.Rounds;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Change a draft round's configuration (a new version; frozen once open)", Tag = "Rounds", Request = typeof(ConfigureRoundRequest), Response = typeof(RoundResponse), RequiresIfMatch = true, ReturnsETag = true)]
public sealed class ConfigureRound(RequestGate gate, RoundHandlers handler)
{
    [Function(nameof(ConfigureRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "rounds/{roundId}/configuration")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunUpdateAsync<ConfigureRound, ConfigureRoundRequest>(request, (caller, ifMatch, body, ct) => handler.ConfigureAsync(roundId, ifMatch, body, caller, ct), cancellationToken);
}

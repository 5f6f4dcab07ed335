using Grants.Contracts.Rounds;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Open a round: its configuration freezes; applications are accepted between its opening and closing times", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true)]
public sealed class OpenRound(RequestGate gate, RoundHandlers handler)
{
    [Function(nameof(OpenRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/open")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<OpenRound>(request, async (caller, ct) =>
        {
            return await handler.OpenAsync(roundId, caller, ct);
        }, cancellationToken);
}

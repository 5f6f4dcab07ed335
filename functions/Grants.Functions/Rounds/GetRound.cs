using Grants.Contracts.Rounds;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Schemes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Applicant, Roles.Assessor, Roles.Ministry, Roles.Supplier, Roles.Auditor, Roles.Notary)]
[ApiOperation("Read a round: configuration, status and, once frozen, the pool hash", Tag = "Rounds", Response = typeof(RoundResponse), ReturnsETag = true)]
public sealed class GetRound(RequestGate gate, RoundStore rounds)
{
    [Function(nameof(GetRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetRound>(request, async (_, ct) =>
            (await rounds.FindAsync(roundId, ct) is { } stored ? stored : (Result<StoredAggregate<RoundData>>)RoundStore.NotFound(roundId)).Ok(RoundResponses.From),
            cancellationToken);
}

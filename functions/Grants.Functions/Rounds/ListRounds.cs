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

[RolesAllowed(Roles.Applicant, Roles.Assessor, Roles.Ministry, Roles.Supplier, Roles.Auditor)]
[ApiOperation("List a scheme's rounds", Tag = "Rounds", Response = typeof(IReadOnlyList<RoundResponse>))]
public sealed class ListRounds(RequestGate gate, RoundStore rounds, SchemeStore schemes)
{
    [Function(nameof(ListRounds))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}/rounds")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListRounds>(request, async (_, ct) =>
            await schemes.FindAsync(schemeId, ct) is null
                ? ResultResponses.Problem(SchemeStore.NotFound(schemeId))
                : TypedResults.Ok((await rounds.OfSchemeAsync(schemeId, ct)).OrderBy(r => r.State.Configuration.OpensAt).Select(RoundResponses.From).ToList()),
            cancellationToken);
}

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

[AnonymousAllowed]
[ApiOperation("The themes a round of a given year can use, in Dutch and English", Tag = "Rounds", Response = typeof(IReadOnlyList<ThemeResponse>))]
public sealed class ListThemes(RequestGate gate)
{
    [Function(nameof(ListThemes))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "themes/{year:int}")] HttpRequest request,
        int year,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListThemes>(request, (_, _) => Task.FromResult<IResult>(TypedResults.Ok(
            ThemeCatalogue.ForYear(year).Select(code => new ThemeResponse(code, ThemeCatalogue.Names[code].Dutch, ThemeCatalogue.Names[code].English)).ToList())),
            cancellationToken);
}

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

using Grants.Contracts.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Count a round's applications by status, sector and theme", Tag = "Applications", Response = typeof(ApplicationCountsResponse))]
public sealed class CountRoundApplications(RequestGate gate, CountRoundApplicationsHandler handler)
{
    [Function(nameof(CountRoundApplications))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/applications/counts")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CountRoundApplications>(request, async (_, ct) => (await handler.HandleAsync(roundId, ct)).Ok(counts => counts), cancellationToken);
}

/// <summary>A round's applications counted by status, sector and theme.</summary>
public sealed class CountRoundApplicationsHandler(ApplicationStore applications, RoundStore rounds)
{
    public async Task<Result<ApplicationCountsResponse>> HandleAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is null)
        {
            return RoundStore.NotFound(roundId);
        }

        var all = await applications.OfRoundAsync(roundId, cancellationToken);
        return new ApplicationCountsResponse(
            roundId,
            all.Count,
            Count(all.Select(a => a.State.Status.ToString())),
            Count(all.Select(a => a.State.Applicant.Sector)),
            Count(all.SelectMany(a => a.State.Content.Themes)));
    }

    private static SortedDictionary<string, int> Count(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}

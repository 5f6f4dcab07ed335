using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Applications;

/// <summary>One application as its reader may see it, the ministry's lists and counts, and an organisation's own list.</summary>
public sealed class ApplicationQueries(ApplicationStore applications, RoundStore rounds, Lottery.DrawStandings standings)
{
    /// <summary>The application, with its standing in the draw as the round's current protocol states it.</summary>
    public async Task<IResult> GetAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindVisibleAsync(applicationId, caller, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var outcome = await standings.CurrentAsync(stored.State, cancellationToken);
        return TypedResults.Ok(ApplicationStore.ToResponse(stored, outcome)).WithETag(stored.ETag);
    }

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    public async Task<IResult> PageAsync(string roundId, IQueryCollection query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        string? status = query["status"];
        string? sector = query["sector"];
        string? theme = query["theme"];
        var pageSize = DefaultPageSize;
        if (status is not null && !Enum.TryParse<ApplicationStatus>(status, out _))
        {
            errors["status"] = [$"must be one of: {string.Join(", ", Enum.GetNames<ApplicationStatus>())}"];
        }

        if (sector is not null && !Sectors.IsKnown(sector))
        {
            errors["sector"] = [$"must be one of: {string.Join(", ", Sectors.All)}"];
        }

        if (query.ContainsKey("pageSize") && (!int.TryParse(query["pageSize"], out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors["pageSize"] = [$"must be between 1 and {MaxPageSize}"];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await rounds.FindAsync(roundId, cancellationToken) is null)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var (items, next) = await applications.PageOfRoundAsync(roundId, status, sector, query["continuationToken"], pageSize, cancellationToken);
        // Themes are a list per application; the table cannot filter on them, so a page may come back shorter.
        var matching = items.Where(a => theme is null || a.State.Content.Themes.Contains(theme)).Select(ApplicationStore.ToSummary).ToList();
        return TypedResults.Ok(new ApplicationPageResponse(matching, next));
    }

    public async Task<IResult> CountAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is null)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var all = await applications.OfRoundAsync(roundId, cancellationToken);
        return TypedResults.Ok(new ApplicationCountsResponse(
            roundId,
            all.Count,
            Count(all.Select(a => a.State.Status.ToString())),
            Count(all.Select(a => a.State.Applicant.Sector)),
            Count(all.SelectMany(a => a.State.Content.Themes))));
    }

    public async Task<IResult> OfOrganisationAsync(string kvk, Caller caller, CancellationToken cancellationToken) =>
        OrganisationAccess.MaySee(caller, kvk)
            ? TypedResults.Ok((await applications.OfOrganisationAsync(kvk, cancellationToken)).Select(ApplicationStore.ToSummary).ToList())
            : ResultResponses.Problem(OrganisationAccess.NotVisible(kvk));

    private static SortedDictionary<string, int> Count(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}

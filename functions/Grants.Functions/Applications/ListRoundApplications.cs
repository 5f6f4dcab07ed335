using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

/// <summary>Query: <c>status</c>, <c>sector</c>, <c>theme</c>, <c>pageSize</c> (1–500, default 100), <c>continuationToken</c>.</summary>
[RolesAllowed(Roles.Ministry)]
[ApiOperation("List a round's applications, filtered by status, sector or theme, a page at a time", Tag = "Applications", Response = typeof(ApplicationPageResponse), Query = "status,sector,theme,pageSize,continuationToken")]
public sealed class ListRoundApplications(RequestGate gate, ListRoundApplicationsHandler handler)
{
    [Function(nameof(ListRoundApplications))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/applications")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListRoundApplications>(request, async (_, ct) =>
        {
            var query = new ApplicationListQuery(request.Query["status"], request.Query["sector"], request.Query["theme"], request.Query["pageSize"], request.Query["continuationToken"]);
            return (await handler.HandleAsync(roundId, query, ct)).Ok(page => page);
        }, cancellationToken);
}

/// <summary>The list's query parameters as they arrived; the handler checks each.</summary>
public sealed record ApplicationListQuery(string? Status, string? Sector, string? Theme, string? PageSize, string? ContinuationToken);

/// <summary>A page of a round's applications, filtered by status and sector in storage and by theme after.</summary>
public sealed class ListRoundApplicationsHandler(ApplicationStore applications, RoundStore rounds)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    public async Task<Result<ApplicationPageResponse>> HandleAsync(string roundId, ApplicationListQuery query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var pageSize = DefaultPageSize;
        // Exactly a status's name: Enum.TryParse would also take a number, a list ("Draft,Submitted", as two status= join) or spaces.
        if (query.Status is not null && !Enum.GetNames<ApplicationStatus>().Contains(query.Status, StringComparer.Ordinal))
        {
            errors["status"] = [$"must be one of: {string.Join(", ", Enum.GetNames<ApplicationStatus>())}"];
        }

        if (query.Sector is not null && !Sectors.IsKnown(query.Sector))
        {
            errors["sector"] = [$"must be one of: {string.Join(", ", Sectors.All)}"];
        }

        if (query.PageSize is not null && (!int.TryParse(query.PageSize, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors["pageSize"] = [$"must be between 1 and {MaxPageSize}"];
        }

        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        if (await rounds.FindAsync(roundId, cancellationToken) is null)
        {
            return RoundStore.NotFound(roundId);
        }

        IReadOnlyList<Grants.Functions.Platform.Storage.StoredAggregate<ApplicationData>> items;
        string? next;
        try
        {
            (items, next) = await applications.PageOfRoundAsync(roundId, query.Status, query.Sector, query.ContinuationToken, pageSize, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 400 && query.ContinuationToken is not null)
        {
            // Of the token's form, but not a marker storage issued: the caller's mistake, not storage's failure.
            return Failure.Invalid(new Dictionary<string, string[]> { ["continuationToken"] = ["must be the continuationToken of the previous page"] });
        }


        // Themes are a list per application; the table cannot filter on them, so a page may come back shorter.
        var matching = items.Where(a => query.Theme is null || a.State.Content.Themes.Contains(query.Theme)).Select(ApplicationResponses.Summary).ToList();
        return new ApplicationPageResponse(matching, next);
    }
}

using Grants.Contracts.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

/// <summary>Query: <c>status</c>, <c>sector</c>, <c>theme</c>, <c>pageSize</c> (1–500, default 100), <c>continuationToken</c>.</summary>
[RolesAllowed(Roles.Ministry)]
[ApiOperation("List a round's applications, filtered by status, sector or theme, a page at a time", Tag = "Applications", Response = typeof(ApplicationPageResponse), Query = "status,sector,theme,pageSize,continuationToken")]
public sealed class ListRoundApplications(RequestGate gate, ApplicationQueries queries)
{
    [Function(nameof(ListRoundApplications))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/applications")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListRoundApplications>(request, (_, ct) => queries.PageAsync(roundId, request.Query, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Count a round's applications by status, sector and theme", Tag = "Applications", Response = typeof(ApplicationCountsResponse))]
public sealed class CountRoundApplications(RequestGate gate, ApplicationQueries queries)
{
    [Function(nameof(CountRoundApplications))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/applications/counts")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CountRoundApplications>(request, (_, ct) => queries.CountAsync(roundId, ct), cancellationToken);
}

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("List an organisation's applications: your own, or any for the ministry", Tag = "Applications", Response = typeof(IReadOnlyList<ApplicationSummaryResponse>))]
public sealed class ListOrganisationApplications(RequestGate gate, ApplicationQueries queries)
{
    [Function(nameof(ListOrganisationApplications))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "organisations/{kvk}/applications")] HttpRequest request,
        string kvk,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListOrganisationApplications>(request, (caller, ct) => queries.OfOrganisationAsync(kvk, caller, ct), cancellationToken);
}

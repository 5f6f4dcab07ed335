using Grants.Contracts.Applications;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant, Roles.Ministry)]
[ApiOperation("List an organisation's applications: your own, or any for the ministry", Tag = "Applications", Response = typeof(IReadOnlyList<ApplicationSummaryResponse>))]
public sealed class ListOrganisationApplications(RequestGate gate, ListOrganisationApplicationsHandler handler)
{
    [Function(nameof(ListOrganisationApplications))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "organisations/{kvk}/applications")] HttpRequest request,
        string kvk,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListOrganisationApplications>(request, async (caller, ct) => (await handler.HandleAsync(kvk, caller, ct)).Ok(list => list), cancellationToken);
}

/// <summary>An organisation's applications, for the organisation itself or the ministry.</summary>
public sealed class ListOrganisationApplicationsHandler(ApplicationStore applications)
{
    public async Task<Result<IReadOnlyList<ApplicationSummaryResponse>>> HandleAsync(string kvk, Caller caller, CancellationToken cancellationToken)
    {
        if (!OrganisationAccess.MaySee(caller, kvk))
        {
            return OrganisationAccess.NotVisible(kvk);
        }

        return (await applications.OfOrganisationAsync(kvk, cancellationToken)).Select(ApplicationResponses.Summary).ToList();
    }
}

using Grants.Contracts.Organisations;
using Grants.Domain.Organisations;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Organisations;

[RolesAllowed(Roles.Applicant, Roles.Supplier, Roles.Ministry)]
[ApiOperation("Read an organisation: your own, or any for the ministry", Tag = "Organisations", Response = typeof(OrganisationResponse))]
public sealed class GetOrganisation(RequestGate gate, OrganisationStore organisations)
{
    [Function(nameof(GetOrganisation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "organisations/{kvk}")] HttpRequest request,
        string kvk,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetOrganisation>(request, async (caller, ct) =>
            (OrganisationAccess.MaySee(caller, kvk) && await organisations.FindByKvkAsync(kvk, ct) is { } stored
                ? stored.State
                : (Result<OrganisationData>)OrganisationAccess.NotVisible(kvk)).Ok(OrganisationResponses.From),
            cancellationToken);
}

using Grants.Contracts.Organisations;
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
            OrganisationStore.MaySee(caller, kvk) && await organisations.FindAsync(kvk, ct) is { } stored
                ? TypedResults.Ok(OrganisationStore.ToResponse(stored.State))
                : OrganisationStore.NotFound(kvk),
            cancellationToken);
}

using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

[RolesAllowed(Roles.Applicant, Roles.Assessor, Roles.Ministry, Roles.Supplier, Roles.Auditor)]
[ApiOperation("List all schemes", Tag = "Schemes", Response = typeof(IReadOnlyList<SchemeResponse>))]
public sealed class ListSchemes(RequestGate gate, SchemeStore schemes)
{
    [Function(nameof(ListSchemes))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListSchemes>(request, async (_, ct) =>
        {
            var all = await schemes.ListAsync(ct);
            return TypedResults.Ok(all.OrderBy(s => s.State.Name, StringComparer.CurrentCulture).Select(SchemeResponses.From).ToList());
        }, cancellationToken);
}

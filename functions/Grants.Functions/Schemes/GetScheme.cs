using Grants.Contracts.Schemes;
using Grants.Domain.Schemes;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

[RolesAllowed(Roles.Applicant, Roles.Assessor, Roles.Ministry, Roles.Supplier, Roles.Auditor)]
[ApiOperation("Read a scheme", Tag = "Schemes", Response = typeof(SchemeResponse), ReturnsETag = true)]
public sealed class GetScheme(RequestGate gate, SchemeStore schemes)
{
    [Function(nameof(GetScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetScheme>(request, async (_, ct) =>
            (await schemes.FindAsync(schemeId, ct) is { } stored ? stored : (Result<StoredAggregate<SchemeData>>)SchemeStore.NotFound(schemeId)).Ok(SchemeResponses.From),
            cancellationToken);
}

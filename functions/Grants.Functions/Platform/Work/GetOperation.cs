using Grants.Contracts.Operations;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Work;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("Follow round-wide work started by a request that answered 202 (its Location): how many items are done of how many, and what failed", Tag = "Operations", Response = typeof(OperationResponse))]
public sealed class GetOperation(RequestGate gate, BackgroundOperations operations)
{
    [Function(nameof(GetOperation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operations/{operationId}")] HttpRequest request,
        string operationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetOperation>(request, async (_, ct) => await operations.FindAsync(operationId, ct) is { } operation
            ? TypedResults.Ok(operation)
            : Problems.Of(ProblemKind.NotFound, $"There is no operation {operationId}."), cancellationToken);
}

using Grants.Contracts.Operations;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Work;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Send an operation's unfinished work again, once what made it fail is mended: each batch not done gets a fresh count of deliveries; work already done stays done; an operation a rule refused is not sent again",
    Tag = "Operations", Response = typeof(OperationResponse), SuccessStatus = 202, StartsWork = true)]
public sealed class RetryOperation(RequestGate gate, BackgroundOperations operations)
{
    [Function(nameof(RetryOperation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operations/{operationId}/retry")] HttpRequest request,
        string operationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RetryOperation>(request, async (_, ct) => (await operations.RetryAsync(operationId, ct)).Accepted(operation => operation, operation => operation.Id), cancellationToken);
}

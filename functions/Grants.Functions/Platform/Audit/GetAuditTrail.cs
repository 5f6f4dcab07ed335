using Grants.Contracts.Audit;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Audit;

[RolesAllowed(Roles.Auditor, Roles.Ministry)]
[ApiOperation("List the hash-chained audit events of an aggregate", Tag = "Audit", Response = typeof(AuditTrailResponse))]
public sealed class GetAuditTrail(RequestGate gate, AggregateStore store)
{
    [Function(nameof(GetAuditTrail))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit/{aggregateId}")] HttpRequest request,
        string aggregateId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetAuditTrail>(request, async (_, ct) =>
        {
            var events = await store.AuditTrailAsync(aggregateId, ct);
            return events.Count == 0
                ? Problems.Of(ProblemKind.NotFound, $"There is no audit trail for {aggregateId}.")
                : TypedResults.Ok(new AuditTrailResponse(aggregateId, events
                    .Select(e => new AuditEventResponse(e.Sequence, e.Type, e.Actor, e.OccurredAt, e.Payload, e.PreviousHash, e.Hash, e.PayloadHash))
                    .ToList()));
        }, cancellationToken);
}

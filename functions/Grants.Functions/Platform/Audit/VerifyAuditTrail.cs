using Grants.Contracts.Audit;
using Grants.Domain.Auditing;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Audit;

/// <summary>Recomputes an aggregate's hash chain and names the first broken link (design.md §2.6).</summary>
[RolesAllowed(Roles.Auditor, Roles.Ministry)]
[ApiOperation("Recompute an aggregate's audit hash chain and name the first broken link", Tag = "Audit", Response = typeof(AuditVerificationResponse))]
public sealed class VerifyAuditTrail(RequestGate gate, AggregateStore store)
{
    [Function(nameof(VerifyAuditTrail))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit/{aggregateId}/verify")] HttpRequest request,
        string aggregateId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<VerifyAuditTrail>(request, async (_, ct) =>
        {
            var head = await store.FindAsync<object>(aggregateId, ct);
            if (head is null)
            {
                return Problems.Of(ProblemKind.NotFound, $"There is no audit trail for {aggregateId}.");
            }

            var result = AuditChain.Verify(await store.AuditTrailAsync(aggregateId, ct), head.AuditSequence, head.AuditHead);
            return TypedResults.Ok(new AuditVerificationResponse(aggregateId, result.IsIntact, result.EventCount, result.FirstBrokenSequence, result.Problem));
        }, cancellationToken);
}

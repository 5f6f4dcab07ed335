using Grants.Contracts.Audit;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Audit;

/// <summary>Recomputes an aggregate's hash chain, checks it against the latest evidence export, and names the first broken link.</summary>
[RolesAllowed(Roles.Auditor, Roles.Ministry)]
[ApiOperation("Recompute an aggregate's audit hash chain, check it still leads through the head the latest evidence export recorded, and name the first broken link", Tag = "Audit", Response = typeof(AuditVerificationResponse))]
public sealed class VerifyAuditTrail(RequestGate gate, AuditTrailVerification verification)
{
    [Function(nameof(VerifyAuditTrail))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit/{aggregateId}/verify")] HttpRequest request,
        string aggregateId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<VerifyAuditTrail>(request, async (_, ct) =>
            await verification.VerifyAsync(aggregateId, ct) is { } result
                ? TypedResults.Ok(result)
                : Problems.Of(ProblemKind.NotFound, $"There is no audit trail for {aggregateId}."), cancellationToken);
}

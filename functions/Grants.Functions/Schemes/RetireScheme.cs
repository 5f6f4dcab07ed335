using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

public sealed class RetireScheme(RequestGate gate, SchemeStore schemes, AggregateStore store)
{
    [Function(nameof(RetireScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes/{schemeId}/retire")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, Access.For(Roles.Ministry), async (caller, ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<RetireSchemeRequest>(request, ct);
            if (problem is not null)
            {
                return problem;
            }

            if (await schemes.FindAsync(schemeId, ct) is not { } stored)
            {
                return Problems.Of(ProblemKind.NotFound, $"There is no scheme {schemeId}.");
            }

            var scheme = new Domain.Schemes.Scheme(stored.State);
            scheme.Retire(body!.Reason);
            var saved = await store.UpdateAsync(stored, scheme.Data.Status.ToString(), scheme.Data, caller.AuditName,
                Change.Of(new PendingAuditEvent("SchemeRetired", new { reason = scheme.Data.RetiredReason })), ct);
            return TypedResults.Ok(SchemeStore.ToResponse(saved)).WithETag(saved.ETag);
        }, cancellationToken);
}

using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Schemes;

public sealed class RenameScheme(RequestGate gate, SchemeStore schemes, AggregateStore store)
{
    [Function(nameof(RenameScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "schemes/{schemeId}/name")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, Access.For(Roles.Ministry), async (caller, ct) =>
        {
            var (ifMatch, missing) = request.RequireIfMatch();
            var (body, problem) = await JsonBody.ReadAsync<RenameSchemeRequest>(request, ct);
            if ((missing ?? problem) is { } answer)
            {
                return answer;
            }

            if (await schemes.FindForUpdateAsync(schemeId, ifMatch!.Value, ct) is not { } stored)
            {
                return Problems.Of(ProblemKind.NotFound, $"There is no scheme {schemeId}.");
            }

            var scheme = new Domain.Schemes.Scheme(stored.State);
            var from = scheme.Data.Name;
            scheme.Rename(body!.Name);
            var saved = await store.UpdateAsync(stored, scheme.Data.Status.ToString(), scheme.Data, caller.AuditName,
                Change.Of(new PendingAuditEvent("SchemeRenamed", new { from, to = scheme.Data.Name })), ct);
            return TypedResults.Ok(SchemeStore.ToResponse(saved)).WithETag(saved.ETag);
        }, cancellationToken);
}

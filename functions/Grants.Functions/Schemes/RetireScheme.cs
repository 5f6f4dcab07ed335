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

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Retire a scheme: it keeps its history but opens no new rounds", Tag = "Schemes", Request = typeof(RetireSchemeRequest), Response = typeof(SchemeResponse), ReturnsETag = true)]
public sealed class RetireScheme(RequestGate gate, RetireSchemeHandler handler)
{
    [Function(nameof(RetireScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes/{schemeId}/retire")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RetireScheme, RetireSchemeRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(schemeId, body, caller, ct)).Ok(SchemeResponses.From), cancellationToken);
}

/// <summary>Retires a scheme: it keeps its history and opens no new rounds.</summary>
public sealed class RetireSchemeHandler(CommandExecutor commands, SchemeStore schemes)
{
    public Task<Result<StoredAggregate<SchemeData>>> HandleAsync(string schemeId, RetireSchemeRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(schemes, schemeId, ifMatch: null, caller.AuditName, stored =>
        {
            var scheme = new Scheme(stored.State);
            scheme.Retire(request.Reason);
            return new Commit<SchemeData>(scheme.Data, scheme.Data.Status.ToString(), Change.Of(new PendingAuditEvent("SchemeRetired", new { reason = scheme.Data.RetiredReason })));
        }, cancellationToken);
}

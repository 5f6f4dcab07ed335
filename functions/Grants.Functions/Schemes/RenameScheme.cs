using Azure;
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
[ApiOperation("Rename a scheme", Tag = "Schemes", Request = typeof(RenameSchemeRequest), Response = typeof(SchemeResponse), RequiresIfMatch = true, ReturnsETag = true)]
public sealed class RenameScheme(RequestGate gate, RenameSchemeHandler handler)
{
    [Function(nameof(RenameScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "schemes/{schemeId}/name")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunUpdateAsync<RenameScheme, RenameSchemeRequest>(request, async (caller, ifMatch, body, ct) =>
            (await handler.HandleAsync(schemeId, ifMatch, body, caller, ct)).Ok(SchemeResponses.From), cancellationToken);
}

/// <summary>Renames a scheme the client last read at <c>ifMatch</c>.</summary>
public sealed class RenameSchemeHandler(CommandExecutor commands, SchemeStore schemes)
{
    public Task<Result<StoredAggregate<SchemeData>>> HandleAsync(string schemeId, ETag ifMatch, RenameSchemeRequest request, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(schemes, schemeId, ifMatch, caller.AuditName, stored =>
        {
            var scheme = new Scheme(stored.State);
            var from = scheme.Data.Name;
            scheme.Rename(request.Name);
            return new Commit<SchemeData>(scheme.Data, scheme.Data.Status.ToString(), Change.Of(new PendingAuditEvent("SchemeRenamed", new { from, to = scheme.Data.Name })));
        }, cancellationToken);
}

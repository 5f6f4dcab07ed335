using Azure;
using Grants.Contracts.Schemes;
using Grants.Domain.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Schemes;

/// <summary>Rename: load with the client's ETag, act on the scheme, save with its audit event.</summary>
public sealed class RenameSchemeHandler(SchemeStore schemes, AggregateStore store)
{
    public async Task<IResult> HandleAsync(string schemeId, ETag ifMatch, RenameSchemeRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await schemes.FindForUpdateAsync(schemeId, ifMatch, cancellationToken) is not { } stored)
        {
            return SchemeStore.NotFound(schemeId);
        }

        var scheme = new Scheme(stored.State);
        var from = scheme.Data.Name;
        scheme.Rename(request.Name);
        var saved = await store.UpdateAsync(stored, scheme.Data.Status.ToString(), scheme.Data, caller.AuditName,
            Change.Of(new PendingAuditEvent("SchemeRenamed", new { from, to = scheme.Data.Name })), cancellationToken);
        return TypedResults.Ok(SchemeStore.ToResponse(saved)).WithETag(saved.ETag);
    }
}

/// <summary>Retire: the scheme keeps its history and opens no new rounds.</summary>
public sealed class RetireSchemeHandler(SchemeStore schemes, AggregateStore store)
{
    public async Task<IResult> HandleAsync(string schemeId, RetireSchemeRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await schemes.FindAsync(schemeId, cancellationToken) is not { } stored)
        {
            return SchemeStore.NotFound(schemeId);
        }

        if (stored.WrittenByCurrentOperation)
        {
            return TypedResults.Ok(SchemeStore.ToResponse(stored)).WithETag(stored.ETag); // this request's earlier attempt retired it
        }

        var scheme = new Scheme(stored.State);
        scheme.Retire(request.Reason);
        var saved = await store.UpdateAsync(stored, scheme.Data.Status.ToString(), scheme.Data, caller.AuditName,
            Change.Of(new PendingAuditEvent("SchemeRetired", new { reason = scheme.Data.RetiredReason })), cancellationToken);
        return TypedResults.Ok(SchemeStore.ToResponse(saved)).WithETag(saved.ETag);
    }
}

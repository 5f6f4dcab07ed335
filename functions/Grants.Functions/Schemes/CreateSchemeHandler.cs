using Grants.Contracts.Schemes;
using Grants.Domain.Schemes;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Schemes;

public sealed class CreateSchemeHandler(AggregateStore store, SchemeStore schemes, IOptions<MailOptions> mail)
{
    public async Task<IResult> HandleAsync(CreateSchemeRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var id = idempotencyKey is null ? SchemeStore.NewId() : SchemeStore.IdFor(IdempotentRequests.OperationId(caller, idempotencyKey));
        var scheme = Scheme.Create(id, request.Name, Enum.Parse<Instrument>(request.Instrument), request.Description ?? "");
        var kind = scheme.Data.Instrument == Instrument.Voucher ? "voucher" : "project subsidy";
        var notice = new OutboxEmail(
            mail.Value.MinistryMailbox,
            $"Scheme created: {scheme.Data.Name}",
            $"The {kind} scheme \"{scheme.Data.Name}\" was created by {caller.Subject}.\nId: {id}\n",
            Notice: true);

        StoredAggregate<Domain.Schemes.SchemeData> stored;
        try
        {
            stored = await store.CreateAsync(SchemeStore.AggregateType, id, scheme.Data.Status.ToString(), scheme.Data, caller.AuditName,
                Change.Of(new PendingAuditEvent("SchemeCreated", scheme.Data), notice), cancellationToken);
        }
        catch (AggregateExistsException) when (idempotencyKey is not null)
        {
            // The same operation ran before (its response was lost or its reservation expired): one effect, same answer.
            stored = await schemes.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Scheme {id} vanished.");
        }

        return TypedResults.Created($"/api/schemes/{id}", SchemeStore.ToResponse(stored)).WithETag(stored.ETag);
    }
}

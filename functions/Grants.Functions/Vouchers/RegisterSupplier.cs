using Grants.Contracts.Vouchers;
using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Vouchers;

[RolesAllowed(Roles.Supplier)]
[ApiOperation("Register as a supplier that may redeem vouchers: a knowledge institution or a consultancy with its references", Tag = "Vouchers", Request = typeof(RegisterSupplierRequest), Response = typeof(SupplierResponse), SuccessStatus = 201)]
public sealed class RegisterSupplier(RequestGate gate, RegisterSupplierHandler handler)
{
    [Function(nameof(RegisterSupplier))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "suppliers")] HttpRequest request, CancellationToken cancellationToken) =>
        gate.RunAsync<RegisterSupplier, RegisterSupplierRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(body, caller, ct)).Created(stored => $"/api/suppliers/{stored.State.Kvk}", stored => VoucherResponses.From(stored.State)), cancellationToken);
}

/// <summary>Registers the supplier the caller's token acts for; the ministry verifies it before it may redeem vouchers.</summary>
public sealed class RegisterSupplierHandler(CommandExecutor commands, SupplierStore suppliers, TimeProvider time)
{
    public async Task<Result<StoredAggregate<SupplierData>>> HandleAsync(RegisterSupplierRequest body, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation is not { } kvk)
        {
            return Failure.Forbidden("A supplier's token must carry its KvK number as organisation.");
        }

        return await commands.CreateAsync(suppliers, SupplierStore.IdFor(kvk), caller.AuditName, () =>
        {
            var supplier = Suppliers.Register(kvk, body.Name, body.Kind == "consultancy" ? SupplierKind.Consultancy : SupplierKind.KnowledgeInstitution,
                [.. (body.References ?? []).Select(r => new SupplierReference(r.Client.Trim(), r.Assignment.Trim(), r.Year))], time.GetUtcNow());
            return new Commit<SupplierData>(supplier, "Registered", Change.Of(new PendingAuditEvent("SupplierRegistered", new { supplier.Kind, references = supplier.References.Count })));
        }, cancellationToken);
    }
}

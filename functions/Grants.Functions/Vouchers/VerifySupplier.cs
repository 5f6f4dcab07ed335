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

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Verify a supplier's registration (kind, references) so that it may claim vouchers", Tag = "Vouchers", Response = typeof(SupplierResponse))]
public sealed class VerifySupplier(RequestGate gate, VerifySupplierHandler handler)
{
    [Function(nameof(VerifySupplier))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "suppliers/{kvk}/verification")] HttpRequest request, string kvk, CancellationToken cancellationToken) =>
        gate.RunAsync<VerifySupplier>(request, async (caller, ct) => (await handler.HandleAsync(kvk, caller, ct)).Ok(stored => VoucherResponses.From(stored.State)), cancellationToken);
}

/// <summary>
/// Ministry staff verify a registration against the trade register and the references before the
/// supplier may redeem vouchers: a supplier's own statement of its kind is not enough.
/// </summary>
public sealed class VerifySupplierHandler(CommandExecutor commands, SupplierStore suppliers, TimeProvider time)
{
    public Task<Result<StoredAggregate<SupplierData>>> HandleAsync(string kvk, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(suppliers, SupplierStore.IdFor(kvk), ifMatch: null, caller.AuditName, stored =>
        {
            var verified = Suppliers.Verify(stored.State, caller.AuditName, time.GetUtcNow());
            return new Commit<SupplierData>(verified, verified.VerifiedAt is null ? "Registered" : "Verified", Change.Of(new PendingAuditEvent("SupplierVerified", new { verified.VerifiedBy })));
        }, cancellationToken);
}

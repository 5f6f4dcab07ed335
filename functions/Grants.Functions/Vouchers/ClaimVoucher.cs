using Grants.Contracts.Vouchers;
using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Vouchers;

[RolesAllowed(Roles.Supplier)]
[ApiOperation("Claim a voucher by its code for work done for its holder; a voucher is redeemed once", Tag = "Vouchers", Request = typeof(ClaimVoucherRequest), Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class ClaimVoucher(RequestGate gate, ClaimVoucherHandler handler)
{
    [Function(nameof(ClaimVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/claims")] HttpRequest request, CancellationToken cancellationToken) =>
        gate.RunAsync<ClaimVoucher, ClaimVoucherRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(body, caller, ct)).Ok(VoucherResponses.From), cancellationToken);
}

/// <summary>A registered, verified and eligible supplier claims a voucher by its code. Two claims at once: one wins, the other gets 409.</summary>
public sealed class ClaimVoucherHandler(CommandExecutor commands, VoucherStore vouchers, SupplierStore suppliers, RoundStore rounds, TimeProvider time)
{
    public async Task<Result<StoredAggregate<VoucherData>>> HandleAsync(ClaimVoucherRequest body, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation is null || await suppliers.FindByKvkAsync(caller.Organisation, cancellationToken) is not { } supplier)
        {
            return Failure.Forbidden("Register as a supplier (POST /api/suppliers) before claiming vouchers.");
        }

        if (await vouchers.FindByCodeAsync(body.Code, cancellationToken) is not { } found || !new Voucher(found.State).Matches(body.Code))
        {
            return Failure.NotFound("No voucher has this code.");
        }

        if (await rounds.FindAsync(found.State.RoundId, cancellationToken) is not { } round)
        {
            return RoundStore.NotFound(found.State.RoundId);
        }

        return await commands.ChangeAsync(vouchers, found.Id, ifMatch: null, caller.AuditName, stored =>
        {
            var voucher = new Voucher(stored.State);
            voucher.Claim(supplier.State, round.State.Configuration.VoucherRules, body.AmountCents, time.GetUtcNow());
            return VoucherStore.Commit(voucher, new PendingAuditEvent("VoucherClaimed", voucher.Data.Claim));
        }, cancellationToken);
    }
}

using Grants.Contracts.Vouchers;
using Grants.Domain.Budget;
using Grants.Domain.Vouchers;
using Grants.Functions.Budget;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Vouchers;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Approve a confirmed claim: the supplier is paid through the round's ledger", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class PayVoucher(RequestGate gate, PayVoucherHandler handler)
{
    [Function(nameof(PayVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/{voucherId}/pay")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<PayVoucher>(request, async (caller, ct) => (await handler.HandleAsync(voucherId, caller, ct)).Ok(VoucherResponses.From), cancellationToken);
}

/// <summary>The ministry pays the confirmed claim: the payment and any unclaimed remainder are booked first, then the voucher is marked paid.</summary>
public sealed class PayVoucherHandler(CommandExecutor commands, VoucherStore vouchers, BudgetLedgerStore ledger, TimeProvider time)
{
    public Task<Result<StoredAggregate<VoucherData>>> HandleAsync(string voucherId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(vouchers, voucherId, ifMatch: null, caller.AuditName, async stored =>
        {
            var voucher = new Voucher(stored.State);
            var now = time.GetUtcNow();
            voucher.Pay(caller.Subject, now);
            var claim = voucher.Data.Claim!;
            await ledger.PostAsync(voucher.Data.RoundId, new LedgerEntry($"payment-{voucher.Data.Id}", LedgerKinds.Payment, voucher.Data.ApplicationId, claim.AmountCents, caller.AuditName, now, $"voucher paid to supplier {claim.SupplierKvk}"), cancellationToken);
            if (voucher.ReleasedCents > 0)
            {
                await ledger.PostAsync(voucher.Data.RoundId, new LedgerEntry($"unclaimed-{voucher.Data.Id}", LedgerKinds.Release, voucher.Data.ApplicationId, voucher.ReleasedCents, caller.AuditName, now, "unclaimed part of the voucher"), cancellationToken);
            }

            return (Result<Commit<VoucherData>>)VoucherStore.Commit(voucher, new PendingAuditEvent("VoucherPaid", new { claim.SupplierKvk, claim.AmountCents }));
        }, cancellationToken);
}

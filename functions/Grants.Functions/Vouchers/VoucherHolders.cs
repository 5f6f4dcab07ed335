using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Vouchers;

/// <summary>What the holder of a voucher may do to it: only its own organisation's voucher, as an applicant; any other does not exist for the caller.</summary>
public sealed class VoucherHolders(CommandExecutor commands, VoucherStore vouchers)
{
    public static bool Holds(Caller caller, VoucherData voucher) => caller.Organisation == voucher.HolderKvk && caller.HasRole(Roles.Applicant);

    public Task<Result<StoredAggregate<VoucherData>>> ActAsync(string voucherId, Caller caller, Action<Voucher> act, string auditType, CancellationToken cancellationToken) =>
        commands.ChangeAsync(vouchers, voucherId, ifMatch: null, caller.AuditName, stored =>
        {
            if (!Holds(caller, stored.State))
            {
                return Failure.NotFound($"No voucher {voucherId} of yours.");
            }

            var voucher = new Voucher(stored.State);
            act(voucher);
            return VoucherStore.Commit(voucher, new PendingAuditEvent(auditType, null));
        }, cancellationToken);
}

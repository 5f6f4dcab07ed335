using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Vouchers;

/// <summary>The value of an expired or returned voucher goes back under the ceiling and down the reserve list; repeating it is a no-op.</summary>
public sealed class VoucherRelease(ApplicationStore applications, ReserveList cutoff)
{
    public async Task HandleAsync(VoucherData voucher, string kind, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(voucher.ApplicationId, cancellationToken) is { } application)
        {
            await cutoff.ReleaseAsync(application.State, kind, $"Voucher {voucher.Id} {(kind == "expiry" ? "expired unused" : "was returned")}.", caller, cancellationToken);
        }
    }
}

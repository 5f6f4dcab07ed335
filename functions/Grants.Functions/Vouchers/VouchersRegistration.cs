using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Vouchers;

/// <summary>The Vouchers feature's services; its functions are found by the Functions host.</summary>
public static class VouchersRegistration
{
    public static IServiceCollection AddVouchers(this IServiceCollection services) => services
        .AddSingleton<VoucherStore>()
        .AddSingleton<SupplierStore>()
        .AddSingleton<VoucherHolders>()
        .AddSingleton<VoucherRelease>()
        .AddSingleton<RegisterSupplierHandler>()
        .AddSingleton<VerifySupplierHandler>()
        .AddSingleton<IssueVoucherHandler>()
        .AddSingleton<Platform.Events.IEventSubscriber, IssueVoucherOnAward>()
        .AddSingleton<GetApplicationVoucherHandler>()
        .AddSingleton<ClaimVoucherHandler>()
        .AddSingleton<AttachVoucherInvoiceHandler>()
        .AddSingleton<ConfirmVoucherClaimHandler>()
        .AddSingleton<DisputeVoucherClaimHandler>()
        .AddSingleton<ReturnVoucherHandler>()
        .AddSingleton<PayVoucherHandler>()
        .AddSingleton<ExpireVouchersHandler>();
}

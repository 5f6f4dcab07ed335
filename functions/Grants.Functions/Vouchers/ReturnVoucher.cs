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

[RolesAllowed(Roles.Applicant)]
[ApiOperation("The holder returns a voucher it will not use; its value goes to the next on the reserve list", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class ReturnVoucher(RequestGate gate, ReturnVoucherHandler handler)
{
    [Function(nameof(ReturnVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/{voucherId}/return")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<ReturnVoucher>(request, async (caller, ct) => (await handler.HandleAsync(voucherId, caller, ct)).Ok(VoucherResponses.From), cancellationToken);
}

/// <summary>Returns a voucher, then offers its value down the reserve list (also on a retry, which repeats that safely).</summary>
public sealed class ReturnVoucherHandler(VoucherHolders holders, VoucherRelease release, TimeProvider time)
{
    public async Task<Result<StoredAggregate<VoucherData>>> HandleAsync(string voucherId, Caller caller, CancellationToken cancellationToken)
    {
        var returned = await holders.ActAsync(voucherId, caller, v => v.Return(time.GetUtcNow()), "VoucherReturned", cancellationToken);
        if (returned.Value is { } saved)
        {
            await release.HandleAsync(saved.State, "return", caller, cancellationToken);
        }

        return returned;
    }
}

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
[ApiOperation("The holder confirms that the claimed work was done", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class ConfirmVoucherClaim(RequestGate gate, ConfirmVoucherClaimHandler handler)
{
    [Function(nameof(ConfirmVoucherClaim))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/{voucherId}/confirm")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<ConfirmVoucherClaim>(request, async (caller, ct) => (await handler.HandleAsync(voucherId, caller, ct)).Ok(VoucherResponses.From), cancellationToken);
}

public sealed class ConfirmVoucherClaimHandler(VoucherHolders holders, TimeProvider time)
{
    public Task<Result<StoredAggregate<VoucherData>>> HandleAsync(string voucherId, Caller caller, CancellationToken cancellationToken) =>
        holders.ActAsync(voucherId, caller, v => v.Confirm(time.GetUtcNow()), "VoucherClaimConfirmed", cancellationToken);
}

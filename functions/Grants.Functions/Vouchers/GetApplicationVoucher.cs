using Grants.Contracts.Vouchers;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Vouchers;

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Auditor)]
[ApiOperation("The voucher issued for an application (without its code)", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class GetApplicationVoucher(RequestGate gate, GetApplicationVoucherHandler handler)
{
    [Function(nameof(GetApplicationVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/voucher")] HttpRequest request, string applicationId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetApplicationVoucher>(request, async (caller, ct) => (await handler.HandleAsync(applicationId, caller, ct)).Ok(VoucherResponses.From), cancellationToken);
}

/// <summary>The voucher of an application the caller may see (auditors see every one).</summary>
public sealed class GetApplicationVoucherHandler(ApplicationAccess applications, VoucherStore vouchers)
{
    public async Task<Result<StoredAggregate<VoucherData>>> HandleAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        return await applications.FindForReaderAsync(applicationId, caller, cancellationToken) is not null
            && await vouchers.FindAsync(Voucher.IdFor(applicationId), cancellationToken) is { } voucher
                ? voucher
                : Failure.NotFound($"No voucher for application {applicationId}.");
    }
}

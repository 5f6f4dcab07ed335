using Grants.Contracts.Vouchers;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Vouchers;

[RolesAllowed(Roles.Supplier)]
[ApiOperation("Register as a supplier that may redeem vouchers: a knowledge institution or a consultancy with its references", Tag = "Vouchers", Request = typeof(RegisterSupplierRequest), Response = typeof(SupplierResponse))]
public sealed class RegisterSupplier(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(RegisterSupplier))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "suppliers")] HttpRequest request, CancellationToken cancellationToken) =>
        gate.RunAsync<RegisterSupplier, RegisterSupplierRequest>(request, (caller, body, ct) => handlers.RegisterSupplierAsync(body, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Verify a supplier's registration (kind, references) so that it may claim vouchers", Tag = "Vouchers", Response = typeof(SupplierResponse))]
public sealed class VerifySupplier(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(VerifySupplier))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "suppliers/{kvk}/verification")] HttpRequest request, string kvk, CancellationToken cancellationToken) =>
        gate.RunAsync<VerifySupplier>(request, (caller, ct) => handlers.VerifySupplierAsync(kvk, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Auditor)]
[ApiOperation("The voucher issued for an application (without its code)", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class GetApplicationVoucher(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(GetApplicationVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/voucher")] HttpRequest request, string applicationId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetApplicationVoucher>(request, (caller, ct) => handlers.OfApplicationAsync(applicationId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Supplier)]
[ApiOperation("Claim a voucher by its code for work done for its holder; a voucher is redeemed once", Tag = "Vouchers", Request = typeof(ClaimVoucherRequest), Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class ClaimVoucher(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(ClaimVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/claims")] HttpRequest request, CancellationToken cancellationToken) =>
        gate.RunAsync<ClaimVoucher, ClaimVoucherRequest>(request, (caller, body, ct) => handlers.ClaimAsync(body, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Supplier)]
[ApiOperation("Attach the invoice (PDF, request body) to your claim on a voucher", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class AttachVoucherInvoice(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(AttachVoucherInvoice))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "vouchers/{voucherId}/invoice")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<AttachVoucherInvoice>(request, (caller, ct) => handlers.AttachInvoiceAsync(voucherId, request, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Applicant)]
[ApiOperation("The holder confirms that the claimed work was done", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class ConfirmVoucherClaim(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(ConfirmVoucherClaim))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/{voucherId}/confirm")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<ConfirmVoucherClaim>(request, (caller, ct) => handlers.ConfirmAsync(voucherId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Applicant)]
[ApiOperation("The holder disputes a claim; the voucher is free again", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class DisputeVoucherClaim(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(DisputeVoucherClaim))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/{voucherId}/dispute")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<DisputeVoucherClaim>(request, (caller, ct) => handlers.DisputeAsync(voucherId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Applicant)]
[ApiOperation("The holder returns a voucher it will not use; its value goes to the next on the reserve list", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class ReturnVoucher(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(ReturnVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/{voucherId}/return")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<ReturnVoucher>(request, (caller, ct) => handlers.ReturnAsync(voucherId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Approve a confirmed claim: the supplier is paid through the round's ledger", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class PayVoucher(RequestGate gate, VoucherHandlers handlers)
{
    [Function(nameof(PayVoucher))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "vouchers/{voucherId}/pay")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<PayVoucher>(request, (caller, ct) => handlers.PayAsync(voucherId, caller, ct), cancellationToken);
}

/// <summary>Every night: vouchers past their validity expire; their value offers the next reserve entry.</summary>
public sealed class ExpireVouchers(VoucherHandlers handlers)
{
    [Function(nameof(ExpireVouchers))]
    public Task Run([TimerTrigger("0 30 2 * * *")] TimerInfo timer, CancellationToken cancellationToken) => handlers.ExpireDueAsync(cancellationToken);
}

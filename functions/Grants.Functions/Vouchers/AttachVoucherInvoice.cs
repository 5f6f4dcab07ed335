using Grants.Contracts.Vouchers;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications.Attachments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Vouchers;

[RolesAllowed(Roles.Supplier)]
[ApiOperation("Attach the invoice (PDF, request body) to your claim on a voucher", Tag = "Vouchers", Response = typeof(VoucherResponse), ReturnsETag = true)]
public sealed class AttachVoucherInvoice(RequestGate gate, AttachVoucherInvoiceHandler handler)
{
    [Function(nameof(AttachVoucherInvoice))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "vouchers/{voucherId}/invoice")] HttpRequest request, string voucherId, CancellationToken cancellationToken) =>
        gate.RunAsync<AttachVoucherInvoice>(request, async (caller, ct) =>
            (await handler.HandleAsync(voucherId, new FileUpload(request.Body, request.ContentLength), caller, ct)).Ok(VoucherResponses.From), cancellationToken);
}

/// <summary>The claiming supplier's invoice, a PDF streamed into Blob Storage; checked first, so that a refused invoice leaves no file behind.</summary>
public sealed class AttachVoucherInvoiceHandler(VoucherStore vouchers, AttachmentStore files)
{
    public async Task<Result<StoredAggregate<VoucherData>>> HandleAsync(string voucherId, FileUpload upload, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation is null || await vouchers.FindAsync(voucherId, cancellationToken) is not { } stored || stored.State.Claim?.SupplierKvk != caller.Organisation)
        {
            return Failure.NotFound($"No claim of yours on voucher {voucherId}.");
        }

        if (stored.State.Status != VoucherStatus.Claimed)
        {
            throw new Domain.Common.InvalidTransitionException("voucher", stored.State.Status.ToString(), "attach an invoice to");
        }

        var uploaded = await files.UploadAsync(voucherId, "invoice", upload, cancellationToken);
        if (uploaded.Failure is { } refused)
        {
            return refused;
        }

        var file = uploaded.Value!;
        try
        {
            var voucher = new Voucher(stored.State);
            voucher.AttachInvoice(caller.Organisation, file.BlobName, file.Sha256);
            return await vouchers.SaveAsync(stored, voucher, caller.AuditName, Change.Of(new PendingAuditEvent("VoucherInvoiceAttached", new { file.Sha256, file.Size })), cancellationToken);
        }
        catch
        {
            await files.DeleteAsync(file.BlobName);
            throw;
        }
    }
}

using Grants.Contracts.Vouchers;
using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Vouchers;

/// <summary>How stored vouchers and suppliers are shown through the API (never a voucher's code).</summary>
public static class VoucherResponses
{
    public static VoucherResponse From(StoredAggregate<VoucherData> stored)
    {
        var v = stored.State;
        return new VoucherResponse(v.Id, v.RoundId, v.ApplicationId, v.HolderKvk, v.ValueCents, v.IssuedAt, v.ValidUntil, v.Status.ToString(),
            v.Claim is { } c ? new VoucherClaimResponse(c.SupplierKvk, c.AmountCents, c.ClaimedAt, c.InvoiceSha256 is not null) : null,
            v.ConfirmedAt, v.PaidAt, stored.Version);
    }

    public static SupplierResponse From(SupplierData supplier) =>
        new(supplier.Kvk, supplier.Name, supplier.Kind == SupplierKind.Consultancy ? "consultancy" : "knowledge-institution", supplier.References.Count, supplier.RegisteredAt, supplier.VerifiedAt);
}

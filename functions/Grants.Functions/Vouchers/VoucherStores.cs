using Grants.Contracts.Vouchers;
using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Vouchers;

/// <summary>Vouchers and suppliers in the aggregate table; vouchers queryable by round, holder and status, and found by code through a look-up.</summary>
public sealed class VoucherStores(AggregateStore store, LookupStore lookups)
{
    public const string VoucherType = "voucher";
    public const string SupplierType = "supplier";
    public const string CodeLookup = "voucher-code";

    public static string SupplierId(string kvk) => $"supplier-{kvk}";

    public Task<StoredAggregate<VoucherData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("voucher-", StringComparison.Ordinal) ? store.FindAsync<VoucherData>(id, cancellationToken) : Task.FromResult<StoredAggregate<VoucherData>?>(null);

    public Task<IReadOnlyList<StoredAggregate<VoucherData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.QueryAsync<VoucherData>(VoucherType, $"ix_RoundId eq {roundId}", cancellationToken);

    /// <summary>The voucher a code belongs to, found by the code's hash (the code itself is never stored).</summary>
    /// The caller still checks the code against the voucher found (<see cref="Voucher.Matches"/>).
    public async Task<StoredAggregate<VoucherData>?> FindByCodeAsync(string code, CancellationToken cancellationToken) =>
        await lookups.FindAsync(CodeLookup, Voucher.HashCode(code), cancellationToken) is { } id ? await FindAsync(id, cancellationToken) : null;

    public Task<IReadOnlyList<StoredAggregate<VoucherData>>> InStatusAsync(VoucherStatus status, CancellationToken cancellationToken) =>
        store.QueryAsync<VoucherData>(VoucherType, $"Status eq {status.ToString()}", cancellationToken);

    /// <summary>The code's look-up first, then the voucher: a voucher is never stored without a way to find it by its code.</summary>
    public async Task<StoredAggregate<VoucherData>> CreateAsync(Voucher voucher, string actor, Change change, CancellationToken cancellationToken)
    {
        await lookups.PutAsync(CodeLookup, voucher.Data.CodeHash, voucher.Data.Id, cancellationToken);
        return await store.CreateAsync(VoucherType, voucher.Data.Id, voucher.Data.Status.ToString(), voucher.Data, actor, change,
            new Dictionary<string, string> { ["RoundId"] = voucher.Data.RoundId, ["HolderKvk"] = voucher.Data.HolderKvk }, cancellationToken);
    }

    public Task<StoredAggregate<VoucherData>> SaveAsync(StoredAggregate<VoucherData> current, Voucher voucher, string actor, Change change, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, voucher.Data.Status.ToString(), voucher.Data, actor, change, cancellationToken);

    public Task<StoredAggregate<SupplierData>?> FindSupplierAsync(string kvk, CancellationToken cancellationToken) =>
        store.FindAsync<SupplierData>(SupplierId(kvk), cancellationToken);

    public Task<StoredAggregate<SupplierData>> CreateSupplierAsync(SupplierData supplier, string actor, CancellationToken cancellationToken) =>
        store.CreateAsync(SupplierType, SupplierId(supplier.Kvk), "Registered", supplier, actor, Change.Of(new PendingAuditEvent("SupplierRegistered", new { supplier.Kind, references = supplier.References.Count })), cancellationToken);

    public Task<StoredAggregate<SupplierData>> SaveSupplierAsync(StoredAggregate<SupplierData> current, SupplierData supplier, string actor, CancellationToken cancellationToken) =>
        store.UpdateAsync(current, supplier.VerifiedAt is null ? "Registered" : "Verified", supplier, actor, Change.Of(new PendingAuditEvent("SupplierVerified", new { supplier.VerifiedBy })), cancellationToken);

    public static VoucherResponse ToResponse(StoredAggregate<VoucherData> stored)
    {
        var v = stored.State;
        return new VoucherResponse(v.Id, v.RoundId, v.ApplicationId, v.HolderKvk, v.ValueCents, v.IssuedAt, v.ValidUntil, v.Status.ToString(),
            v.Claim is { } c ? new VoucherClaimResponse(c.SupplierKvk, c.AmountCents, c.ClaimedAt, c.InvoiceSha256 is not null) : null,
            v.ConfirmedAt, v.PaidAt, stored.Version);
    }

    public static SupplierResponse ToResponse(SupplierData supplier) =>
        new(supplier.Kvk, supplier.Name, supplier.Kind == SupplierKind.Consultancy ? "consultancy" : "knowledge-institution", supplier.References.Count, supplier.RegisteredAt, supplier.VerifiedAt);
}

using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Vouchers;

/// <summary>Suppliers that may redeem vouchers, stored under their KvK number.</summary>
public sealed class SupplierStore(AggregateStore store) : IAggregates<SupplierData>
{
    public const string SupplierType = "supplier";

    public string Type => SupplierType;

    public static string IdFor(string kvk) => $"supplier-{kvk}";

    public Task<StoredAggregate<SupplierData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("supplier-", StringComparison.Ordinal) ? store.FindAsync<SupplierData>(id, cancellationToken) : Task.FromResult<StoredAggregate<SupplierData>?>(null);

    public Task<StoredAggregate<SupplierData>?> FindByKvkAsync(string kvk, CancellationToken cancellationToken) => FindAsync(IdFor(kvk), cancellationToken);

    public string NotFoundDetail(string id) => $"No supplier {id["supplier-".Length..]}.";

    public string ExistsDetail(string id) => $"Supplier {id["supplier-".Length..]} is registered already.";
}

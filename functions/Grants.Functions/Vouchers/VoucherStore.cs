using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Vouchers;

/// <summary>Vouchers in the aggregate table: queryable by round, holder and status, and found by code through a look-up.</summary>
public sealed class VoucherStore(AggregateStore store, LookupStore lookups) : IAggregates<VoucherData>
{
    public const string VoucherType = "voucher";
    public const string CodeLookup = "voucher-code";

    public string Type => VoucherType;

    public Task<StoredAggregate<VoucherData>?> FindAsync(string id, CancellationToken cancellationToken) =>
        id.StartsWith("voucher-", StringComparison.Ordinal) ? store.FindAsync<VoucherData>(id, cancellationToken) : Task.FromResult<StoredAggregate<VoucherData>?>(null);

    public string NotFoundDetail(string id) => $"No voucher {id}.";

    public Task<IReadOnlyList<StoredAggregate<VoucherData>>> OfRoundAsync(string roundId, CancellationToken cancellationToken) =>
        store.InKeyRangeAsync<VoucherData>(VoucherType, Voucher.IdFor(Grants.Domain.Applications.Application.IdPrefixFor(roundId)), cancellationToken);

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

    /// <summary>What a command on a voucher commits: its new state, with one audit event.</summary>
    public static Commit<VoucherData> Commit(Voucher voucher, PendingAuditEvent auditEvent) => new(voucher.Data, voucher.Data.Status.ToString(), Change.Of(auditEvent));
}

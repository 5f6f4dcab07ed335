namespace Grants.Functions.Platform.Storage;

public static class TableNames
{
    /// <summary>One partition per aggregate: its state row, its audit events and its outbox messages.</summary>
    public const string Aggregates = "aggregates";

    /// <summary>One partition per round's budget ledger: its balance, a position per application and the append-only entries.</summary>
    public const string Ledgers = "ledgers";

    /// <summary>Point look-ups from a secondary key to an aggregate id, one partition per key (<see cref="LookupStore"/>).</summary>
    public const string Lookups = "lookups";

    /// <summary>Which aggregates belong to a round, a scheme, an organisation or an application: one partition per owner (<see cref="Memberships"/>).</summary>
    public const string Members = "members";

    /// <summary>Background operations (<see cref="Work.BackgroundOperations"/>): one partition per operation, its record and a row per batch of items.</summary>
    public const string Operations = "operations";

    /// <summary>Responses remembered per Idempotency-Key.</summary>
    public const string Idempotency = "idempotency";
}

public static class ContainerNames
{
    /// <summary>Uploaded PDFs (plans and budgets, grant reports, voucher invoices); named {application, grant or voucher}/{kind}/{upload}.pdf.</summary>
    public const string Attachments = "attachments";

    /// <summary>Frozen lottery pools, content-addressed by their hash and never overwritten.</summary>
    public const string Pools = "pools";

    /// <summary>Lottery protocols, named {round}/{protocol hash}.json, written once and never overwritten.</summary>
    public const string Protocols = "protocols";

    /// <summary>What each round announced before its draw (commitments, pool hash and budgets, draws set aside), written once and never overwritten.</summary>
    public const string Announcements = "announcements";

    /// <summary>The periodic evidence exports (chain heads, ledgers, published documents), named {yyyy}/{MM}/{dd}/{HHmmss}Z/{part}, written once.</summary>
    public const string AuditExports = "audit-exports";

    /// <summary>
    /// The containers whose blobs are evidence: only ever created, never overwritten or deleted. They live
    /// in the evidence account, under a locked write-once policy in Azure (docs/decisions/0011).
    /// </summary>
    public static IReadOnlySet<string> Evidence { get; } = new HashSet<string>(StringComparer.Ordinal) { Protocols, Announcements, AuditExports };
}

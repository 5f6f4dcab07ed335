namespace Grants.Functions.Platform.Storage;

public static class TableNames
{
    /// <summary>One partition per aggregate: its state row, its audit events and its outbox messages.</summary>
    public const string Aggregates = "aggregates";

    /// <summary>Responses remembered per Idempotency-Key.</summary>
    public const string Idempotency = "idempotency";
}

public static class ContainerNames
{
    /// <summary>Files applicants upload; named {application}/{kind}/{upload}.pdf.</summary>
    public const string Attachments = "attachments";

    /// <summary>Frozen lottery pools, content-addressed by their hash and never overwritten.</summary>
    public const string Pools = "pools";

    /// <summary>Lottery protocols, named {round}/{protocol hash}.json, written once and never overwritten.</summary>
    public const string Protocols = "protocols";
}

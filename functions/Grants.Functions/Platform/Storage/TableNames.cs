namespace Grants.Functions.Platform.Storage;

public static class TableNames
{
    /// <summary>One partition per aggregate: its state row, its audit events and its outbox messages.</summary>
    public const string Aggregates = "aggregates";

    /// <summary>Responses remembered per Idempotency-Key.</summary>
    public const string Idempotency = "idempotency";
}

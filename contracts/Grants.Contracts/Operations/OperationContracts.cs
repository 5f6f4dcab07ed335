namespace Grants.Contracts.Operations;

/// <summary>
/// Round-wide work that runs in the background after a request recorded its decision: how far it is, whether it
/// finished, and what failed. <c>Status</c> is Queued (its items are being listed), Running, Succeeded, Failed
/// (a batch failed on every delivery and was set aside; <c>Errors</c> says which and why) or Refused (a rule of the
/// procedure forbids the work, and nothing was done; <c>Refusal</c> says why, as the round records it). <c>Skipped</c> lists what the
/// work found it cannot do, each with why (an application without two committee members free of conflicts).
/// <c>ListedAt</c> is when the items were listed and the operation began Running: what came before it is the work's
/// fixed first step (such as a top-up's ledger postings), what came after it the batches.
/// </summary>
public sealed record OperationResponse(
    string Id,
    string Kind,
    string RoundId,
    string Status,
    int? Total,
    int Done,
    IReadOnlyList<OperationErrorResponse> Errors,
    IReadOnlyList<string> Skipped,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Refusal = null,
    DateTimeOffset? ListedAt = null);

/// <summary>A step that failed: a batch (null: the listing of the items), how often it was tried and the last error.</summary>
public sealed record OperationErrorResponse(int? Batch, int Items, int Attempts, string Error);

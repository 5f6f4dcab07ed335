namespace Grants.Contracts.Execution;

public sealed record AdvanceResponse(string Id, DateTimeOffset DueAt, long AmountCents, [property: ClosedSet("payment-status")] string Status, DateTimeOffset? PaidAt);

public sealed record ReportResponse([property: ClosedSet("report-kind")] string Kind, DateTimeOffset DueAt, DateTimeOffset? SubmittedAt, long? ActualCostsCents, bool Reminded, bool Overdue);

public sealed record SettlementResponse(long EligibleCostsCents, long SettledCents, long PaidBeforeCents, long FinalPaymentCents, long RecoveryCents, DateTimeOffset SettledAt);

/// <summary>An accepted project subsidy: its advances, reports and settlement.</summary>
public sealed record GrantResponse(string Id, string RoundId, string ApplicationId, long AwardedCents, long PaidCents, [property: ClosedSet("grant-status")] string Status,
    IReadOnlyList<AdvanceResponse> Advances, IReadOnlyList<ReportResponse> Reports, SettlementResponse? Settlement, long Version);

/// <summary>The eligible costs the ministry found in the final report, in cents.</summary>
public sealed record SettleGrantRequest(long EligibleCostsCents);

namespace Grants.Contracts.Monitoring;

/// <summary>
/// The funnel from application to acceptance. Applications are submitted ones (drafts do not count);
/// selected counts every application the cut-off reached, initially or later from the reserve list.
/// </summary>
/// <param name="Lapsed">Awards not answered in time (not counted as declined).</param>
public sealed record FunnelResponse(int Applications, int Eligible, int InPool, int Selected, int Awarded, int Accepted, int Declined, int Rejected, int Withdrawn, int Lapsed = 0);

public sealed record VoucherFiguresResponse(int Issued, int Claimed, int Redeemed, int Expired, int Returned, long IssuedCents, long PaidCents);

/// <param name="PaidByRecordsCents">What the voucher and grant records say was paid (vouchers paid, advances and final payments, less recoveries).</param>
/// <param name="Reconciles">The ledger's balance equals the sum of its entries, and its paid total equals the records' and none of its parts is negative.</param>
public sealed record BudgetFiguresResponse(long CeilingCents, long ReservedCents, long CommittedCents, long PaidCents, long ReleasedCents, long AvailableCents, long PaidByRecordsCents, bool Reconciles);

/// <summary>One group of a breakdown (a sector, a theme, a size class, public or private) and its funnel.</summary>
public sealed record BreakdownRowResponse(string Dimension, string Key, FunnelResponse Funnel);

/// <summary>The monitoring figures of a round (or, summed, of a scheme's rounds).</summary>
public sealed record MonitoringResponse(
    string Scope,
    string Id,
    IReadOnlyList<string> Rounds,
    FunnelResponse Funnel,
    VoucherFiguresResponse Vouchers,
    BudgetFiguresResponse Budget,
    IReadOnlyList<BreakdownRowResponse> Breakdowns);

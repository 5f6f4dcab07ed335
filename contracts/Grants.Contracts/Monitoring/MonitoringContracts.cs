namespace Grants.Contracts.Monitoring;

/// <summary>
/// The funnel from application to acceptance. Applications are submitted ones (drafts do not count);
/// selected counts every application the cut-off reached, initially or later from the reserve list.
/// </summary>
public sealed record FunnelResponse(int Applications, int Eligible, int InPool, int Selected, int Awarded, int Accepted, int Declined, int Rejected, int Withdrawn);

public sealed record VoucherFiguresResponse(int Issued, int Claimed, int Redeemed, int Expired, int Returned, long IssuedCents, long PaidCents);

/// <param name="ReconciledCents">Available + reserved + committed + paid; equals the ceiling when the ledger reconciles.</param>
public sealed record BudgetFiguresResponse(long CeilingCents, long ReservedCents, long CommittedCents, long PaidCents, long ReleasedCents, long AvailableCents, long ReconciledCents, bool Reconciles);

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

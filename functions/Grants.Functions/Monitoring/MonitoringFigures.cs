using Grants.Contracts.Monitoring;
using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Vouchers;

namespace Grants.Functions.Monitoring;

/// <summary>
/// The ministry's monitoring figures, counted from the applications, vouchers and ledger of a round:
/// pure, so that every number can be checked against a hand count.
/// </summary>
public static class MonitoringFigures
{
    public static FunnelResponse Funnel(IEnumerable<ApplicationData> applications)
    {
        var submitted = applications.Where(a => a.SubmittedAt is not null).ToList();
        return new FunnelResponse(
            submitted.Count,
            submitted.Count(a => a.Eligibility?.Eligible == true),
            submitted.Count(a => a.PoolId is not null),
            submitted.Count(WasSelected),
            submitted.Count(a => a.Award?.DecidedAt is not null),
            submitted.Count(a => a.Acceptance is { Accepted: true }),
            submitted.Count(a => a.Acceptance is { Accepted: false, Lapsed: false }),
            submitted.Count(a => a.Rejection is not null),
            submitted.Count(a => a.Status == ApplicationStatus.Withdrawn),
            submitted.Count(a => a.Acceptance is { Lapsed: true }));
    }

    /// <summary>Reached by the cut-off: drawn, or later offered from the reserve list (which leaves it Selected, awarded or rejected after assessment).</summary>
    public static bool WasSelected(ApplicationData application) =>
        application.Outcome?.Selected == true
        || application.Status is ApplicationStatus.Selected or ApplicationStatus.AwardProposed
        || application.Award is not null
        || (application.Rejection is not null && application.Outcome is not null);

    public static VoucherFiguresResponse Vouchers(IReadOnlyCollection<VoucherData> vouchers) => new(
        vouchers.Count,
        vouchers.Count(v => v.Status is VoucherStatus.Claimed or VoucherStatus.Confirmed),
        vouchers.Count(v => v.Status == VoucherStatus.Paid),
        vouchers.Count(v => v.Status == VoucherStatus.Expired),
        vouchers.Count(v => v.Status == VoucherStatus.Returned),
        vouchers.Sum(v => v.ValueCents),
        vouchers.Where(v => v.Status == VoucherStatus.Paid).Sum(v => v.Claim!.AmountCents));

    /// <summary>
    /// The budget and whether it reconciles: the stored balance must equal what its entries add up to
    /// (ceiling and top-ups; payments less recoveries), no part may be negative, reserved + committed +
    /// paid may not exceed the ceiling, and the ledger's paid total must equal what the voucher and
    /// grant records say was paid.
    /// </summary>
    public static BudgetFiguresResponse Budget(LedgerBalance balance, IReadOnlyCollection<LedgerEntry> entries, long paidByRecords)
    {
        long Sum(string kind) => entries.Where(e => e.Kind == kind).Sum(e => e.Amount);
        var ceiling = entries.Where(e => e.Kind == LedgerKinds.Ceiling).Select(e => e.Amount).LastOrDefault() + Sum(LedgerKinds.TopUp);
        var paid = Sum(LedgerKinds.Payment) - Sum(LedgerKinds.Recovery);
        var reconciles = balance.Ceiling == ceiling && balance.Paid == paid && balance.Paid == paidByRecords
            && balance.Reserved >= 0 && balance.Committed >= 0 && balance.Paid >= 0 && balance.Available >= 0;
        return new BudgetFiguresResponse(balance.Ceiling, balance.Reserved, balance.Committed, balance.Paid, balance.Released, balance.Available, paidByRecords, reconciles);
    }

    /// <summary>What the records say was paid: vouchers paid to suppliers; grant advances and final payments, less recoveries.</summary>
    public static long PaidByRecords(IEnumerable<VoucherData> vouchers, IEnumerable<Grants.Domain.Execution.GrantData> grants) =>
        vouchers.Where(v => v.Status == VoucherStatus.Paid).Sum(v => v.Claim!.AmountCents)
        + grants.Sum(g => g.PaidCents + (g.Settlement?.FinalPaymentCents ?? 0) - (g.Settlement?.RecoveryCents ?? 0));

    /// <summary>The funnel per sector, theme, size class and ownership (an application with two themes counts under both).</summary>
    public static IReadOnlyList<BreakdownRowResponse> Breakdowns(IReadOnlyCollection<ApplicationData> applications) =>
    [
        .. Group("sector", applications, a => [a.Applicant.Sector]),
        .. Group("theme", applications, a => a.Content.Themes),
        .. Group("size", applications, a => [a.Applicant.SizeClass]),
        .. Group("ownership", applications, a => [a.Applicant.IsPublic ? "public" : "private"]),
    ];

    public static FunnelResponse Sum(IEnumerable<FunnelResponse> funnels) => funnels.Aggregate(new FunnelResponse(0, 0, 0, 0, 0, 0, 0, 0, 0), (s, f) => new FunnelResponse(
        s.Applications + f.Applications, s.Eligible + f.Eligible, s.InPool + f.InPool, s.Selected + f.Selected, s.Awarded + f.Awarded,
        s.Accepted + f.Accepted, s.Declined + f.Declined, s.Rejected + f.Rejected, s.Withdrawn + f.Withdrawn, s.Lapsed + f.Lapsed));

    private static IEnumerable<BreakdownRowResponse> Group(string dimension, IReadOnlyCollection<ApplicationData> applications, Func<ApplicationData, IEnumerable<string>> keys) =>
        applications.Where(a => a.SubmittedAt is not null)
            .SelectMany(a => keys(a).Distinct().Select(k => (Key: k, Application: a)))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BreakdownRowResponse(dimension, g.Key, Funnel(g.Select(x => x.Application))));
}

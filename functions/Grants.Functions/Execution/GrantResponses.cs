using Grants.Contracts.Execution;
using Grants.Domain.Execution;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Execution;

/// <summary>How a stored grant is shown through the API: what was paid net of recoveries, advances, reports and settlement.</summary>
public static class GrantResponses
{
    public static GrantResponse From(StoredAggregate<GrantData> stored)
    {
        var g = stored.State;
        return new GrantResponse(g.Id, g.RoundId, g.ApplicationId, g.AwardedCents, g.PaidCents - (g.Settlement?.RecoveryCents ?? 0) + (g.Settlement?.FinalPaymentCents ?? 0), g.Status.ToString(),
            [.. g.Advances.Select(a => new AdvanceResponse(a.Id, a.DueAt, a.AmountCents, a.Status.ToString(), a.PaidAt))],
            [.. g.Reports.Select(r => new ReportResponse(r.Kind, r.DueAt, r.SubmittedAt, r.ActualCostsCents, r.Reminded, r.OverdueFlagged))],
            g.Settlement is { } s ? new SettlementResponse(s.EligibleCostsCents, s.SettledCents, s.PaidBeforeCents, s.FinalPaymentCents, s.RecoveryCents, s.SettledAt) : null,
            stored.Version);
    }
}

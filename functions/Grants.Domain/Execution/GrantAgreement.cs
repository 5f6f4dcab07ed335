using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Stateless;

namespace Grants.Domain.Execution;

/// <summary>A project subsidy after acceptance: carried out, reported on, settled (<i>vastgesteld</i>), closed.</summary>
public enum GrantStatus
{
    InExecution,
    Reported,
    Settled,
}

public enum PaymentStatus
{
    Scheduled,
    Paid,
}

/// <summary>An advance (<i>voorschot</i>) of the award, due on a date; paid through the round's ledger.</summary>
public sealed record AdvancePayment(string Id, DateTimeOffset DueAt, long AmountCents, PaymentStatus Status, DateTimeOffset? PaidAt = null, string? PaidBy = null);

public static class ReportKinds
{
    public const string Progress = "progress";
    public const string Final = "final";
}

/// <summary>A progress or final report: its deadline, the PDF once submitted (until retention deletes it; its hash stays), and the reminders and overdue flag the timer set.</summary>
public sealed record ProjectReport(
    string Kind,
    DateTimeOffset DueAt,
    DateTimeOffset? SubmittedAt = null,
    string? Blob = null,
    string? Sha256 = null,
    long? ActualCostsCents = null,
    bool Reminded = false,
    bool OverdueFlagged = false);

/// <summary>The settlement: the eligible costs found, the settled amount, and what is paid on top or recovered.</summary>
public sealed record Settlement(long EligibleCostsCents, long SettledCents, long PaidBeforeCents, long FinalPaymentCents, long RecoveryCents, string SettledBy, DateTimeOffset SettledAt);

public sealed record GrantData(
    string Id,
    string RoundId,
    string ApplicationId,
    string HolderKvk,
    long AwardedCents,
    GrantStatus Status,
    IReadOnlyList<AdvancePayment> Advances,
    IReadOnlyList<ProjectReport> Reports,
    Settlement? Settlement = null,
    DateTimeOffset? PersonalDataErasedAt = null)
{
    public long PaidCents => Advances.Where(a => a.Status == PaymentStatus.Paid).Sum(a => a.AmountCents);

    public ProjectReport Report(string kind) => Reports.Single(r => r.Kind == kind);
}

/// <summary>
/// The obligations that follow an accepted project subsidy: an advance schedule, a progress report
/// halfway and a final report after the end, then the settlement — the settled amount is the award or
/// the eligible costs, whichever is lower; advances paid above it are recovered, below it paid out.
/// All amounts in euro cents, exact.
/// </summary>
public sealed class GrantAgreement
{
    private readonly StateMachine<GrantStatus, Trigger> _machine;

    public GrantAgreement(GrantData data)
    {
        Data = data;
        _machine = new StateMachine<GrantStatus, Trigger>(() => Data.Status, status => Data = Data with { Status = status });
        _machine.Configure(GrantStatus.InExecution)
            .PermitReentry(Trigger.PayAdvance)
            .PermitReentry(Trigger.SubmitProgress)
            .PermitReentry(Trigger.Remind)
            .Permit(Trigger.SubmitFinal, GrantStatus.Reported);
        _machine.Configure(GrantStatus.Reported)
            .Permit(Trigger.Settle, GrantStatus.Settled);
    }

    private enum Trigger
    {
        PayAdvance,
        SubmitProgress,
        SubmitFinal,
        Remind,
        Settle,
    }

    public GrantData Data { get; private set; }

    public static string IdFor(string applicationId) => $"grant-{applicationId}";

    /// <summary>Whether <paramref name="application"/> starts a grant: an award of a project subsidy the applicant accepted, in its own round.</summary>
    public static bool IsStartedFor(ApplicationData application, RoundData round) =>
        application.RoundId == round.Id && round.Configuration.Instrument == Instrument.ProjectSubsidy && application.Status == ApplicationStatus.Accepted && application.Award is not null;

    /// <summary>
    /// On acceptance: <paramref name="advanceShare"/> of the award as an advance now, the rest only at
    /// settlement; a progress report halfway through the project and the final report
    /// <paramref name="finalReportWeeks"/> weeks after its end.
    /// </summary>
    public static GrantAgreement Start(ApplicationData accepted, RoundData round, DateTimeOffset start, decimal advanceShare, int finalReportWeeks)
    {
        if (!IsStartedFor(accepted, round))
        {
            throw new InvalidTransitionException("application", accepted.Status.ToString(), "start a grant for", "only an accepted award of a project subsidy starts one");
        }

        var (roundId, applicationId, holderKvk, awardedCents, durationMonths) = (round.Id, accepted.Id, accepted.Applicant.Kvk, accepted.Award!.AmountCents, accepted.Content.DurationMonths ?? 12);
        if (awardedCents <= 0 || durationMonths is < 1 or > 120 || advanceShare is < 0 or > 1)
        {
            throw new DomainRuleException("agreement", "needs a positive award, a duration of 1 to 120 months and an advance share from 0 to 1");
        }

        var advance = (long)decimal.Floor(awardedCents * advanceShare);
        var end = start.AddMonths(durationMonths);
        return new GrantAgreement(new GrantData(IdFor(applicationId), roundId, applicationId, holderKvk, awardedCents, GrantStatus.InExecution,
            advance > 0 ? [new AdvancePayment("advance-1", start, advance, PaymentStatus.Scheduled)] : [],
            [new ProjectReport(ReportKinds.Progress, start.AddMonths(Math.Max(1, durationMonths / 2))), new ProjectReport(ReportKinds.Final, end.AddDays(7 * finalReportWeeks))]));
    }

    public AdvancePayment PayAdvance(string advanceId, string by, DateTimeOffset now)
    {
        var advance = Data.Advances.FirstOrDefault(a => a.Id == advanceId) ?? throw new DomainRuleException("advance", $"no advance {advanceId}");
        var status = ExecutionMachines.Pay(advance);
        Fire(Trigger.PayAdvance, "pay an advance of");
        var paid = advance with { Status = status, PaidAt = now, PaidBy = by };
        Data = Data with { Advances = Data.Advances.Select(a => a.Id == advanceId ? paid : a).ToList() };
        return paid;
    }

    /// <summary>Whether a report of this kind may be submitted now (asked before its PDF is stored).</summary>
    public bool CanSubmit(string kind) =>
        Data.Reports.FirstOrDefault(r => r.Kind == kind) is { } report && ExecutionMachines.StatusOf(report) != ReportStatus.Submitted
        && _machine.CanFire(kind == ReportKinds.Final ? Trigger.SubmitFinal : Trigger.SubmitProgress);

    /// <param name="actualCostsCents">The final report's statement of actual costs (required for the final report).</param>
    public void SubmitReport(string kind, string blob, string sha256, long? actualCostsCents, DateTimeOffset now)
    {
        var report = Data.Reports.FirstOrDefault(r => r.Kind == kind) ?? throw new DomainRuleException("kind", "must be progress or final");
        if (ExecutionMachines.StatusOf(report) == ReportStatus.Submitted)
        {
            throw new InvalidTransitionException("report", "Submitted", "submit");
        }

        if (kind == ReportKinds.Final && actualCostsCents is not >= 0)
        {
            throw new DomainRuleException("actualCostsCents", "the final report states the actual costs, in cents");
        }

        Fire(kind == ReportKinds.Final ? Trigger.SubmitFinal : Trigger.SubmitProgress, $"submit a {kind} report for");
        ExecutionMachines.Submit(report);
        Replace(report with { SubmittedAt = now, Blob = blob, Sha256 = sha256, ActualCostsCents = actualCostsCents });
    }

    /// <summary>
    /// Reports due within <paramref name="notice"/> and not yet reminded of; reports past due and not yet
    /// flagged. Only while the project runs: once the final report is in, a missing progress report can
    /// no longer be submitted, so nobody is reminded of it.
    /// </summary>
    public (IReadOnlyList<ProjectReport> Remind, IReadOnlyList<ProjectReport> Overdue) DueNotices(DateTimeOffset now, TimeSpan notice) =>
        !_machine.CanFire(Trigger.Remind)
            ? ([], [])
            : (Data.Reports.Where(r => r.SubmittedAt is null && !r.Reminded && now >= r.DueAt - notice && now < r.DueAt).ToList(),
               Data.Reports.Where(r => r.SubmittedAt is null && !r.OverdueFlagged && now >= r.DueAt).ToList());

    public void MarkReminded(string kind)
    {
        var report = Data.Report(kind);
        if (ExecutionMachines.StatusOf(report) == ReportStatus.Submitted)
        {
            throw new InvalidTransitionException("report", "Submitted", "remind of");
        }

        Fire(Trigger.Remind, "remind of a report of");
        Replace(report with { Reminded = true });
    }

    public void FlagOverdue(string kind, DateTimeOffset now)
    {
        var report = Data.Report(kind);
        if (now < report.DueAt)
        {
            throw new InvalidTransitionException("report", "not due", "flag as overdue");
        }

        ExecutionMachines.FlagOverdue(report);
        Fire(Trigger.Remind, "flag an overdue report of");
        Replace(report with { OverdueFlagged = true, Reminded = true });
    }

    /// <summary>
    /// Settles the grant on the eligible costs the ministry found in the final report (at most the
    /// actual costs it states): settled = min(award, eligible costs); advances above it are
    /// recovered, any shortfall is paid out.
    /// </summary>
    public Settlement Settle(long eligibleCostsCents, string by, DateTimeOffset now)
    {
        if (eligibleCostsCents < 0)
        {
            throw new DomainRuleException("eligibleCostsCents", "must not be negative");
        }

        // The ministry may find fewer costs eligible than the grantee reported, never more.
        if (Data.Reports.FirstOrDefault(r => r.Kind == ReportKinds.Final)?.ActualCostsCents is { } actual && eligibleCostsCents > actual)
        {
            throw new DomainRuleException("eligibleCostsCents", $"must not exceed the actual costs in the final report ({actual} cents)");
        }

        Fire(Trigger.Settle, "settle");
        var settled = Math.Min(Data.AwardedCents, eligibleCostsCents);
        var paid = Data.PaidCents;
        var settlement = new Settlement(eligibleCostsCents, settled, paid, Math.Max(0, settled - paid), Math.Max(0, paid - settled), by, now);
        Data = Data with { Settlement = settlement };
        return settlement;
    }

    /// <summary>
    /// Past retention: the report documents are deleted, so the grant no longer points at them. What
    /// accounting and the evaluation need stays — amounts, payments, report dates, hashes and stated
    /// costs, the settlement, the status and who decided.
    /// </summary>
    public void ErasePersonalData(DateTimeOffset now)
    {
        if (Data.PersonalDataErasedAt is not null)
        {
            throw new InvalidTransitionException("grant", "already erased", "erase personal data of");
        }

        Data = Data with { Reports = [.. Data.Reports.Select(r => r with { Blob = null })], PersonalDataErasedAt = now };
    }

    public static string Diagram() =>
        Stateless.Graph.MermaidGraph.Format(new GrantAgreement(new GrantData("", "", "", "", 1, GrantStatus.InExecution, [], []))._machine.GetInfo());

    private void Replace(ProjectReport report) =>
        Data = Data with { Reports = Data.Reports.Select(r => r.Kind == report.Kind ? report : r).ToList() };

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("grant", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}

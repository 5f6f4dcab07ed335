using Grants.Domain.Common;
using Stateless;

namespace Grants.Domain.Execution;

/// <summary>A report's life: due, then submitted — on time, or after it was flagged overdue.</summary>
public enum ReportStatus
{
    Due,
    Overdue,
    Submitted,
}

/// <summary>
/// The small machines inside a grant: an advance goes Scheduled → Paid once; a report goes Due →
/// Submitted, or Due → Overdue → Submitted. Their status is derived from the stored record each time,
/// so there is one source of truth; the machines decide which step is allowed.
/// </summary>
public static class ExecutionMachines
{
    private enum PaymentTrigger
    {
        Pay,
    }

    private enum ReportTrigger
    {
        Submit,
        FlagOverdue,
    }

    public static ReportStatus StatusOf(ProjectReport report) =>
        report.SubmittedAt is not null ? ReportStatus.Submitted : report.OverdueFlagged ? ReportStatus.Overdue : ReportStatus.Due;

    public static PaymentStatus Pay(AdvancePayment advance)
    {
        var status = advance.Status;
        var machine = new StateMachine<PaymentStatus, PaymentTrigger>(() => status, s => status = s);
        machine.Configure(PaymentStatus.Scheduled).Permit(PaymentTrigger.Pay, PaymentStatus.Paid);
        Fire(machine, PaymentTrigger.Pay, "advance", advance.Status.ToString(), "pay");
        return status;
    }

    public static ReportStatus Submit(ProjectReport report) => FireReport(report, ReportTrigger.Submit, "submit");

    public static ReportStatus FlagOverdue(ProjectReport report) => FireReport(report, ReportTrigger.FlagOverdue, "flag as overdue");

    public static string PaymentDiagram()
    {
        var status = PaymentStatus.Scheduled;
        var machine = new StateMachine<PaymentStatus, PaymentTrigger>(() => status, s => status = s);
        machine.Configure(PaymentStatus.Scheduled).Permit(PaymentTrigger.Pay, PaymentStatus.Paid);
        return Stateless.Graph.MermaidGraph.Format(machine.GetInfo());
    }

    public static string ReportDiagram() => Stateless.Graph.MermaidGraph.Format(ReportMachine(ReportStatus.Due).GetInfo());

    private static ReportStatus FireReport(ProjectReport report, ReportTrigger trigger, string action)
    {
        var machine = ReportMachine(StatusOf(report));
        Fire(machine, trigger, "report", StatusOf(report).ToString(), action);
        return machine.State;
    }

    private static StateMachine<ReportStatus, ReportTrigger> ReportMachine(ReportStatus initial)
    {
        var status = initial;
        var machine = new StateMachine<ReportStatus, ReportTrigger>(() => status, s => status = s);
        machine.Configure(ReportStatus.Due).Permit(ReportTrigger.Submit, ReportStatus.Submitted).Permit(ReportTrigger.FlagOverdue, ReportStatus.Overdue);
        machine.Configure(ReportStatus.Overdue).Permit(ReportTrigger.Submit, ReportStatus.Submitted);
        return machine;
    }

    private static void Fire<TState, TTrigger>(StateMachine<TState, TTrigger> machine, TTrigger trigger, string aggregate, string status, string action)
    {
        if (!machine.CanFire(trigger))
        {
            throw new InvalidTransitionException(aggregate, status, action);
        }

        machine.Fire(trigger);
    }
}

using Grants.Domain.Common;
using Grants.Domain.Execution;

namespace Grants.Domain.Tests.Execution;

public sealed class GrantAgreementTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private static GrantAgreement Agreement() => Builders.StartedGrant(100_000_00, Start, 12, 0.8m, 13, "11111111");

    /// <summary>Only an accepted award of a project subsidy, in its own round, starts a grant, for the award and the project's months.</summary>
    [Fact]
    public void OnlyAnAcceptedProjectSubsidyStartsAGrant()
    {
        var (accepted, round) = Builders.AcceptedSubsidy(90_000_00, durationMonths: 18);

        var grant = GrantAgreement.Start(accepted, round, Start, 0.8m, 13);
        Assert.Equal((90_000_00L, 72_000_00L, "app-1"), (grant.Data.AwardedCents, grant.Data.Advances.Single().AmountCents, grant.Data.ApplicationId));

        Assert.Throws<InvalidTransitionException>(() => GrantAgreement.Start(accepted with { Status = Grants.Domain.Applications.ApplicationStatus.Awarded }, round, Start, 0.8m, 13));
        Assert.Throws<InvalidTransitionException>(() => GrantAgreement.Start(accepted, round with { Configuration = round.Configuration with { Instrument = Grants.Domain.Schemes.Instrument.Voucher } }, Start, 0.8m, 13));
        Assert.Throws<InvalidTransitionException>(() => GrantAgreement.Start(accepted, round with { Id = "round-2" }, Start, 0.8m, 13));
    }

    [Fact]
    public void AcceptanceSetsAnAdvanceAndTwoReportDeadlines()
    {
        var grant = Agreement().Data;
        Assert.Equal(80_000_00, Assert.Single(grant.Advances).AmountCents);
        Assert.Equal(Start.AddMonths(6), grant.Report(ReportKinds.Progress).DueAt);
        Assert.Equal(Start.AddMonths(12).AddDays(91), grant.Report(ReportKinds.Final).DueAt);
    }

    [Theory]
    [InlineData(70_000_00, 70_000_00, 0, 10_000_00)]     // costs below the advance: recover the difference
    [InlineData(90_000_00, 90_000_00, 10_000_00, 0)]     // costs above the advance: pay the rest
    [InlineData(130_000_00, 100_000_00, 20_000_00, 0)]   // never more than the award
    public void SettlementTakesTheLowerOfAwardAndCostsAndBalancesTheAdvances(long costs, long settled, long finalPayment, long recovery)
    {
        var grant = Agreement();
        grant.PayAdvance("advance-1", "ministry", Start);
        grant.SubmitReport(ReportKinds.Progress, "p.pdf", new string('a', 64), null, Start.AddMonths(6));
        grant.SubmitReport(ReportKinds.Final, "f.pdf", new string('b', 64), costs, Start.AddMonths(13));
        var settlement = grant.Settle(costs, "ministry", Start.AddMonths(14));
        Assert.Equal((settled, 80_000_00L, finalPayment, recovery), (settlement.SettledCents, settlement.PaidBeforeCents, settlement.FinalPaymentCents, settlement.RecoveryCents));
        Assert.Equal(settled, settlement.PaidBeforeCents + settlement.FinalPaymentCents - settlement.RecoveryCents);
        Assert.Equal(GrantStatus.Settled, grant.Data.Status);
    }

    [Fact]
    public void EligibleCostsCannotExceedTheActualCostsReported()
    {
        var grant = Agreement();
        grant.SubmitReport(ReportKinds.Progress, "p.pdf", new string('a', 64), null, Start.AddMonths(6));
        grant.SubmitReport(ReportKinds.Final, "f.pdf", new string('b', 64), 70_000_00, Start.AddMonths(13));
        var before = grant.Data;
        Assert.Throws<DomainRuleException>(() => grant.Settle(70_000_01, "ministry", Start.AddMonths(14)));
        Assert.Same(before, grant.Data);
        Assert.Equal(70_000_00, grant.Settle(70_000_00, "ministry", Start.AddMonths(14)).SettledCents);
    }

    [Fact]
    public void NoSettlementBeforeTheFinalReportAndNoSecondSubmission()
    {
        var grant = Agreement();
        Assert.Throws<InvalidTransitionException>(() => grant.Settle(1, "ministry", Start));
        Assert.Throws<DomainRuleException>(() => grant.SubmitReport(ReportKinds.Final, "f.pdf", "x", null, Start));
        grant.SubmitReport(ReportKinds.Progress, "p.pdf", "x", null, Start);
        Assert.Throws<InvalidTransitionException>(() => grant.SubmitReport(ReportKinds.Progress, "p2.pdf", "x", null, Start));
        grant.PayAdvance("advance-1", "ministry", Start);
        Assert.Throws<InvalidTransitionException>(() => grant.PayAdvance("advance-1", "ministry", Start));
    }

    [Fact]
    public void NoReminderOfAProgressReportGivenTheFinalReportIsIn()
    {
        var grant = Agreement();
        var progressDue = grant.Data.Report(ReportKinds.Progress).DueAt;
        grant.SubmitReport(ReportKinds.Final, "f.pdf", new string('b', 64), 90_000_00, progressDue.AddDays(10));
        Assert.False(grant.CanSubmit(ReportKinds.Progress));
        var (remind, overdue) = grant.DueNotices(progressDue.AddDays(10), TimeSpan.FromDays(14));
        Assert.Empty(remind);
        Assert.Empty(overdue);
        Assert.Throws<InvalidTransitionException>(() => grant.MarkReminded(ReportKinds.Progress));
        Assert.Throws<InvalidTransitionException>(() => grant.FlagOverdue(ReportKinds.Progress, progressDue.AddDays(10)));
    }

    [Fact]
    public void ASubmittedReportIsNotRemindedOf()
    {
        var grant = Agreement();
        grant.SubmitReport(ReportKinds.Progress, "p.pdf", new string('a', 64), null, Start);
        var submitted = grant.Data.Report(ReportKinds.Progress);
        Assert.Throws<InvalidTransitionException>(() => grant.MarkReminded(ReportKinds.Progress));
        Assert.Equal(submitted, grant.Data.Report(ReportKinds.Progress));
    }

    [Fact]
    public void RemindersComeBeforeTheDeadlineAndOverdueReportsAreFlaggedOnce()
    {
        var grant = Agreement();
        var progressDue = grant.Data.Report(ReportKinds.Progress).DueAt;
        Assert.Empty(grant.DueNotices(progressDue.AddDays(-15), TimeSpan.FromDays(14)).Remind);
        Assert.Single(grant.DueNotices(progressDue.AddDays(-14), TimeSpan.FromDays(14)).Remind);
        grant.MarkReminded(ReportKinds.Progress);
        Assert.Empty(grant.DueNotices(progressDue.AddDays(-1), TimeSpan.FromDays(14)).Remind);
        Assert.Single(grant.DueNotices(progressDue, TimeSpan.FromDays(14)).Overdue);
        grant.FlagOverdue(ReportKinds.Progress, progressDue);
        Assert.Empty(grant.DueNotices(progressDue.AddDays(30), TimeSpan.FromDays(14)).Overdue);
    }
}

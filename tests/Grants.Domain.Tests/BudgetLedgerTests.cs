using Grants.Domain.Budget;

namespace Grants.Domain.Tests;

public sealed class BudgetLedgerTests
{
    private static LedgerEntry Entry(string kind, long amount, string? reference = "app-1") => new(Guid.NewGuid().ToString(), kind, reference, amount, "ministry", DateTimeOffset.UnixEpoch, null);

    private static (LedgerBalance, LedgerPosition) Start(long ceiling) =>
        BudgetLedger.Apply(LedgerBalance.Empty, LedgerPosition.None("app-1"), Entry(LedgerKinds.Ceiling, ceiling, null));

    [Fact]
    public void ReserveThenCommitLessReleasesTheRest()
    {
        var (balance, position) = Start(100);
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Reserve, 60));
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Commit, 45));

        Assert.Equal(new LedgerBalance(100, 0, 45, 15), balance);
        Assert.Equal(new LedgerPosition("app-1", 0, 45), position);
        Assert.Equal(55, balance.Available);
    }

    [Fact]
    public void NoFigureCanGrowBeyondTheMoneyLimitSoNoSumOverflows()
    {
        var (balance, position) = Start(Grants.Domain.Common.Money.MaxCents - 10);
        Assert.Throws<Grants.Domain.Common.DomainRuleException>(() => BudgetLedger.Apply(balance, position, Entry(LedgerKinds.TopUp, 11, null)));
        Assert.Throws<Grants.Domain.Common.DomainRuleException>(() => BudgetLedger.Apply(balance, position, Entry(LedgerKinds.TopUp, long.MaxValue, null)));
        Assert.Throws<Grants.Domain.Common.DomainRuleException>(() => BudgetLedger.Apply(LedgerBalance.Empty, position, Entry(LedgerKinds.Ceiling, long.MaxValue, null)));
        Assert.Equal(Grants.Domain.Common.Money.MaxCents, BudgetLedger.Apply(balance, position, Entry(LedgerKinds.TopUp, 10, null)).Balance.Ceiling);
    }

    [Fact]
    public void ReserveBeyondTheCeilingIsRefused()
    {
        var (balance, position) = Start(100);
        (balance, _) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Reserve, 70));
        var error = Assert.Throws<CeilingExceededException>(() => BudgetLedger.Apply(balance, LedgerPosition.None("app-2"), Entry(LedgerKinds.Reserve, 31, "app-2")));
        Assert.Equal((31, 30), (error.Requested, error.Available));
    }

    [Fact]
    public void CommitBeyondItsReservationMustFitWhatIsLeft()
    {
        var (balance, position) = Start(100);
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Reserve, 50));
        (balance, _) = BudgetLedger.Apply(balance, LedgerPosition.None("app-2"), Entry(LedgerKinds.Reserve, 40, "app-2"));
        Assert.Throws<CeilingExceededException>(() => BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Commit, 61)));
        var (after, _) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Commit, 60));
        Assert.Equal(new LedgerBalance(100, 40, 60, 0), after);
    }

    [Fact]
    public void ReleaseFreesWhatTheApplicationHeldAndTopUpRaisesTheCeiling()
    {
        var (balance, position) = Start(100);
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Reserve, 80));
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Release, 0));
        (balance, _) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.TopUp, 50, null));
        Assert.Equal(new LedgerBalance(150, 0, 0, 80), balance);
        Assert.Equal(150, balance.Available);
    }

    [Fact]
    public void ReleaseOfEverythingHeldIsRecordedWithTheAmountItReleased()
    {
        var (balance, position) = Start(100);
        (_, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Reserve, 80));
        var releaseAll = Entry(LedgerKinds.Release, 0);

        var recorded = BudgetLedger.Recorded(position, releaseAll);

        Assert.Equal(80, recorded.Amount);
        Assert.True(BudgetLedger.IsRetryOf(recorded, releaseAll));
        Assert.False(BudgetLedger.IsRetryOf(recorded, Entry(LedgerKinds.Release, 30)));
        Assert.Equal(30, BudgetLedger.Recorded(position, Entry(LedgerKinds.Release, 30)).Amount);
    }

    [Fact]
    public void CeilingCannotDropBelowWhatIsHeld()
    {
        var (balance, position) = Start(100);
        (balance, _) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Reserve, 80));
        Assert.Throws<CeilingExceededException>(() => BudgetLedger.Apply(balance, LedgerPosition.None("x"), Entry(LedgerKinds.Ceiling, 79, null)));
    }
}

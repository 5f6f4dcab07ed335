using Grants.Domain.Budget;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Vouchers;

namespace Grants.Domain.Tests.Vouchers;

public sealed class VoucherTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static Voucher Issued() => Builders.IssuedVoucher(7_500_00, Now, 365, "11111111", Voucher.HashCode("ABCD-EFGH-JKLM"));

    [Fact]
    public void TheCodeMatchesWhateverTheCaseSpacesOrDashes()
    {
        var voucher = Issued();
        Assert.True(voucher.Matches("abcd efgh jklm"));
        Assert.True(voucher.Matches("ABCDEFGHJKLM"));
        Assert.False(voucher.Matches("ABCD-EFGH-JKLN"));
    }

    /// <summary>Only an award decided in a voucher round, in its own round, issues a voucher, worth the award and valid for the round's days.</summary>
    [Fact]
    public void OnlyAnAwardInAVoucherRoundIssuesAVoucher()
    {
        var (awarded, round) = Builders.VoucherAward(7_500_00, Now, validityDays: 90);
        var hash = Voucher.HashCode("ABCD-EFGH-JKLM");

        var voucher = Voucher.Issue(awarded, round, hash, Now.AddDays(1));
        Assert.Equal((7_500_00L, Now, Now.AddDays(90), "voucher-app-1"), (voucher.Data.ValueCents, voucher.Data.IssuedAt, voucher.Data.ValidUntil, voucher.Data.Id));

        Assert.Throws<InvalidTransitionException>(() => Voucher.Issue(awarded with { Status = Grants.Domain.Applications.ApplicationStatus.Submitted }, round, hash, Now));
        Assert.Throws<InvalidTransitionException>(() => Voucher.Issue(awarded, round with { Configuration = round.Configuration with { Instrument = Grants.Domain.Schemes.Instrument.ProjectSubsidy } }, hash, Now));
        Assert.Throws<InvalidTransitionException>(() => Voucher.Issue(awarded, round with { Id = "round-2" }, hash, Now));
    }

    /// <summary>Whoever asks, only a supplier the ministry verified and the round's rules allow claims a voucher; a refusal changes nothing.</summary>
    [Fact]
    public void OnlyAVerifiedSupplierTheRoundsRulesAllowClaims()
    {
        var voucher = Issued();
        var unverified = Suppliers.Register("22222222", "Adviesbureau West", SupplierKind.Consultancy, [], Now);
        var consultancy = Suppliers.Verify(unverified with { References = [new SupplierReference("Bakkerij Jansen", "Roosters", 2025)] }, "ministry", Now);

        Assert.Contains("not been verified", Assert.Throws<NotPermittedException>(() => voucher.Claim(unverified, new VoucherRules(), 7_000_00, Now.AddDays(1))).Message, StringComparison.Ordinal);
        Assert.Contains("knowledge institutions only", Assert.Throws<NotPermittedException>(() => voucher.Claim(consultancy, new VoucherRules(ConsultanciesAllowed: false), 7_000_00, Now.AddDays(1))).Message, StringComparison.Ordinal);
        Assert.Contains("at least 2 references", Assert.Throws<NotPermittedException>(() => voucher.Claim(consultancy, new VoucherRules(MinimumConsultancyReferences: 2), 7_000_00, Now.AddDays(1))).Message, StringComparison.Ordinal);
        Assert.Null(voucher.Data.Claim);

        voucher.Claim(consultancy, new VoucherRules(MinimumConsultancyReferences: 1), 7_000_00, Now.AddDays(1));
        Assert.Equal("22222222", voucher.Data.Claim!.SupplierKvk);
    }

    [Fact]
    public void AClaimIsPaidOnlyAfterTheInvoiceAndTheHoldersConfirmation()
    {
        var voucher = Issued();
        voucher.Claim(Builders.VerifiedSupplier("22222222"), new VoucherRules(), 7_000_00, Now.AddDays(30));
        Assert.Throws<DomainRuleException>(() => voucher.Confirm(Now.AddDays(31)));
        Assert.Throws<InvalidTransitionException>(() => voucher.AttachInvoice("33333333", "blob", "hash"));
        voucher.AttachInvoice("22222222", "vouchers/voucher-app-1/invoice.pdf", new string('a', 64));
        Assert.Throws<InvalidTransitionException>(() => voucher.Pay("ministry", Now.AddDays(31)));
        voucher.Confirm(Now.AddDays(31));
        voucher.Pay("ministry", Now.AddDays(32));
        Assert.Equal(VoucherStatus.Paid, voucher.Data.Status);
        Assert.Equal(500_00, voucher.ReleasedCents); // the unclaimed part goes back to the ceiling
    }

    [Fact]
    public void AVoucherIsRedeemedOnce()
    {
        var voucher = Issued();
        voucher.Claim(Builders.VerifiedSupplier("22222222"), new VoucherRules(), 7_500_00, Now.AddDays(1));
        Assert.Throws<InvalidTransitionException>(() => voucher.Claim(Builders.VerifiedSupplier("33333333"), new VoucherRules(), 7_500_00, Now.AddDays(1)));
    }

    [Theory]
    [InlineData("11111111", 100_00)]    // the holder itself
    [InlineData("22222222", 7_500_01)]  // more than the value
    [InlineData("22222222", 0)]
    public void BadClaimsAreRefused(string supplier, long amount) =>
        Assert.Throws<DomainRuleException>(() => Issued().Claim(Builders.VerifiedSupplier(supplier), new VoucherRules(), amount, Now.AddDays(1)));

    [Fact]
    public void ADisputedClaimFreesTheVoucherAgain()
    {
        var voucher = Issued();
        voucher.Claim(Builders.VerifiedSupplier("22222222"), new VoucherRules(), 7_500_00, Now.AddDays(1));
        voucher.Dispute();
        Assert.Equal(VoucherStatus.Issued, voucher.Data.Status);
        Assert.Equal(["22222222"], voucher.Data.DisputedClaims);
        Assert.Throws<DomainRuleException>(() => voucher.Claim(Builders.VerifiedSupplier("22222222"), new VoucherRules(), 7_500_00, Now.AddDays(2)));
        voucher.Claim(Builders.VerifiedSupplier("33333333"), new VoucherRules(), 7_500_00, Now.AddDays(2));
    }

    [Fact]
    public void AnUnusedVoucherExpiresAtTheEndOfItsValidityAndReleasesItsValue()
    {
        var voucher = Issued();
        Assert.False(voucher.IsDueToExpire(Now.AddDays(364)));
        Assert.Throws<InvalidTransitionException>(() => voucher.Expire(Now.AddDays(364)));
        Assert.Throws<InvalidTransitionException>(() => voucher.Claim(Builders.VerifiedSupplier("22222222"), new VoucherRules(), 100_00, Now.AddDays(365)));
        Assert.True(voucher.IsDueToExpire(Now.AddDays(365)));
        voucher.Expire(Now.AddDays(365));
        Assert.Equal(7_500_00, voucher.ReleasedCents);
    }

    [Fact]
    public void SupplierRulesFollowTheRound()
    {
        var institute = Suppliers.Register("22222222", "TU Delft", SupplierKind.KnowledgeInstitution, [], Now);
        var consultancy = Suppliers.Register("33333333", "Advies BV", SupplierKind.Consultancy, [new("A BV", "Lean", 2024)], Now);
        Assert.Null(Suppliers.Ineligibility(institute, new VoucherRules(ConsultanciesAllowed: false)));
        Assert.Contains("knowledge institutions only", Suppliers.Ineligibility(consultancy, new VoucherRules(ConsultanciesAllowed: false)));
        Assert.Contains("at least 2 references", Suppliers.Ineligibility(consultancy, new VoucherRules()));
        Assert.Null(Suppliers.Ineligibility(consultancy, new VoucherRules(MinimumConsultancyReferences: 1)));
        Assert.Throws<DomainRuleException>(() => Suppliers.Register("123", "", SupplierKind.Consultancy, [], Now));
    }
}

public sealed class LedgerPaymentTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static LedgerEntry Entry(string kind, long amount) => new($"{kind}-{amount}", kind, "voucher-1", amount, "test", Now, null);

    [Fact]
    public void PaymentsComeOutOfTheCommitmentAndStayCountedAgainstTheCeiling()
    {
        var balance = new LedgerBalance(10_000_00, 0, 0, 0);
        var position = LedgerPosition.None("voucher-1");
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Commit, 7_500_00));
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Payment, 7_000_00));
        Assert.Throws<DomainRuleException>(() => BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Payment, 600_00)));
        (balance, position) = BudgetLedger.Apply(balance, position, Entry(LedgerKinds.Release, 500_00));

        Assert.Equal((0L, 7_000_00L, 500_00L), (balance.Committed, balance.Paid, balance.Released));
        Assert.Equal(3_000_00, balance.Available);
        Assert.Equal(balance.Ceiling, balance.Available + balance.Reserved + balance.Committed + balance.Paid);
        Assert.Equal((0L, 7_000_00L), (position.Committed, position.Paid));
    }
}

public sealed class LedgerRecoveryTests
{
    [Fact]
    public void ARecoveryReturnsPaidMoneyToTheBudget()
    {
        var now = DateTimeOffset.UnixEpoch;
        var balance = new LedgerBalance(100_00, 0, 0, 0);
        var position = LedgerPosition.None("app-1");
        (balance, position) = BudgetLedger.Apply(balance, position, new LedgerEntry("c", LedgerKinds.Commit, "app-1", 100_00, "t", now, null));
        (balance, position) = BudgetLedger.Apply(balance, position, new LedgerEntry("p", LedgerKinds.Payment, "app-1", 80_00, "t", now, null));
        Assert.Throws<DomainRuleException>(() => BudgetLedger.Apply(balance, position, new LedgerEntry("r", LedgerKinds.Recovery, "app-1", 81_00, "t", now, null)));
        (balance, position) = BudgetLedger.Apply(balance, position, new LedgerEntry("r", LedgerKinds.Recovery, "app-1", 10_00, "t", now, null));
        Assert.Equal((70_00L, 10_00L, 20_00L), (balance.Paid, balance.Released, balance.Committed));
        Assert.Equal(balance.Ceiling, balance.Available + balance.Reserved + balance.Committed + balance.Paid);
    }
}

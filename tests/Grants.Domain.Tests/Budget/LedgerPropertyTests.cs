using CsCheck;
using Grants.Domain.Budget;
using Grants.Domain.Common;

namespace Grants.Domain.Tests.Budget;

/// <summary>
/// docs/design.md §2.4 as a property: random sequences of postings — ceilings, top-ups, reservations,
/// commitments, payments, partial and full releases, recoveries, for a handful of applications — never
/// take reserved + committed + paid above the ceiling, never make a figure negative, and keep the
/// balance equal to the sum of the positions. A posting the rules refuse changes nothing. (Its first
/// run found that lowering the ceiling ignored money already paid.)
/// </summary>
public sealed class LedgerPropertyTests
{
    private static readonly string[] Kinds = [LedgerKinds.Ceiling, LedgerKinds.TopUp, LedgerKinds.Reserve, LedgerKinds.Commit, LedgerKinds.Payment, LedgerKinds.Release, LedgerKinds.Recovery];

    private static readonly Gen<(string Kind, int Reference, long Amount)> Posting =
        Gen.Select(Gen.Int[0, Kinds.Length - 1], Gen.Int[0, 3], Gen.Long[0, 60_00], (k, r, a) => (Kinds[k], r, a));

    [Fact]
    public void NoSequenceOfPostingsBreaksTheCeilingOrTheBooks()
    {
        Posting.Array[1, 60].Sample(postings =>
        {
            var balance = LedgerBalance.Empty;
            var positions = Enumerable.Range(0, 4).ToDictionary(i => $"app-{i}", i => LedgerPosition.None($"app-{i}"));
            var applied = 0;
            foreach (var (kind, reference, amount) in postings)
            {
                var key = $"app-{reference}";
                var entry = new LedgerEntry(Guid.NewGuid().ToString("N"), kind, kind is LedgerKinds.Ceiling or LedgerKinds.TopUp ? null : key, amount, "property", DateTimeOffset.UnixEpoch, null);
                try
                {
                    var (next, position) = BudgetLedger.Apply(balance, positions[key], entry);
                    balance = next;
                    if (entry.Reference is not null)
                    {
                        positions[key] = position;
                    }

                    applied++;
                }
                catch (Exception e) when (e is CeilingExceededException or DomainRuleException)
                {
                    // Refused: balance and positions stay as they were.
                }

                Assert.True(balance.Reserved >= 0 && balance.Committed >= 0 && balance.Paid >= 0 && balance.Released >= 0, $"negative figure after {kind}: {balance}");
                Assert.True(balance.Reserved + balance.Committed + balance.Paid <= balance.Ceiling, $"above the ceiling after {kind} {amount}: {balance}");
                Assert.Equal(balance.Reserved, positions.Values.Sum(p => p.Reserved));
                Assert.Equal(balance.Committed, positions.Values.Sum(p => p.Committed));
                Assert.Equal(balance.Paid, positions.Values.Sum(p => p.Paid));
            }

            _ = applied;
        }, iter: 3_000, threads: 1); // a failure prints the seed that reproduces it
    }
}

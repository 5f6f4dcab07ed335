using Grants.Domain.Common;

namespace Grants.Domain.Budget;

/// <summary>
/// A round's budget at one instant, in euro cents. Paid money is spent and stays counted against the
/// ceiling; <see cref="Available"/> is what can still be reserved.
/// </summary>
public sealed record LedgerBalance(long Ceiling, long Reserved, long Committed, long Released, long Paid = 0)
{
    public static LedgerBalance Empty { get; } = new(0, 0, 0, 0);

    public long Available => Ceiling - Reserved - Committed - Paid;
}

/// <summary>What one application (or voucher) holds of the budget.</summary>
public sealed record LedgerPosition(string Reference, long Reserved, long Committed, long Paid = 0)
{
    public static LedgerPosition None(string reference) => new(reference, 0, 0);
}

public static class LedgerKinds
{
    public const string Ceiling = "ceiling";
    public const string TopUp = "top-up";
    public const string Reserve = "reserve";
    public const string Commit = "commit";
    public const string Release = "release";
    public const string Payment = "payment";
    public const string Recovery = "recovery";
}

/// <summary>One append-only ledger entry: what moved, for whom, by whom and why.</summary>
public sealed record LedgerEntry(string EntryId, string Kind, string? Reference, long Amount, string By, DateTimeOffset At, string? Reason);

/// <summary>A posting would take more than the ceiling allows.</summary>
public sealed class CeilingExceededException(long requested, long available)
    : Exception($"The budget ceiling does not allow this: {requested} cents requested, {available} cents available.")
{
    public long Requested { get; } = requested;

    public long Available { get; } = available;
}

/// <summary>
/// The rules of the append-only budget ledger (docs/design.md §2.4): reserve → commit → pay or release.
/// Reserved plus committed plus paid never exceeds the ceiling; a commit takes at most what was
/// reserved for the same application; a payment comes out of what is committed to it; a release frees
/// everything the application still holds, or — with an amount — that much of its commitment. Pure: the store applies a posting
/// to the balance it read and writes both back under that balance's ETag, so concurrent postings
/// are checked against each other.
/// </summary>
public static class BudgetLedger
{
    /// <summary>
    /// The entry as the ledger keeps it: a release of everything the application held is posted with
    /// amount 0 ("all of it") but recorded with the amount it released, so every entry reads as what moved.
    /// </summary>
    public static LedgerEntry Recorded(LedgerPosition before, LedgerEntry entry) =>
        entry.Kind == LedgerKinds.Release && entry.Amount == 0 ? entry with { Amount = before.Reserved + before.Committed } : entry;

    /// <summary>
    /// Whether <paramref name="requested"/> is a retry of the entry already recorded under its id: the same
    /// kind and amount, or a release of everything held, whatever that turned out to be.
    /// </summary>
    public static bool IsRetryOf(LedgerEntry recorded, LedgerEntry requested) =>
        recorded.Kind == requested.Kind && (recorded.Amount == requested.Amount || (requested.Kind == LedgerKinds.Release && requested.Amount == 0));

    public static (LedgerBalance Balance, LedgerPosition Position) Apply(LedgerBalance balance, LedgerPosition position, LedgerEntry entry)
    {
        if (entry.Amount < 0 || entry.Amount > Money.MaxCents)
        {
            throw new DomainRuleException("amount", $"must be between 0 and {Money.MaxCents} cents");
        }

        if (entry.Kind == LedgerKinds.TopUp && balance.Ceiling + entry.Amount > Money.MaxCents)
        {
            throw new DomainRuleException("amountCents", $"would raise the ceiling above {Money.MaxCents} cents");
        }

        switch (entry.Kind)
        {
            case LedgerKinds.Ceiling:
                // Money already paid is spent: a ceiling below reserved + committed + paid is refused.
                if (entry.Amount < balance.Reserved + balance.Committed + balance.Paid)
                {
                    throw new CeilingExceededException(balance.Reserved + balance.Committed + balance.Paid, entry.Amount);
                }

                return (balance with { Ceiling = entry.Amount }, position);
            case LedgerKinds.TopUp:
                return (balance with { Ceiling = balance.Ceiling + entry.Amount }, position);
            case LedgerKinds.Reserve:
                if (entry.Amount > balance.Available)
                {
                    throw new CeilingExceededException(entry.Amount, balance.Available);
                }

                return (balance with { Reserved = balance.Reserved + entry.Amount }, position with { Reserved = position.Reserved + entry.Amount });
            case LedgerKinds.Commit:
                // A commit uses the reservation first; any amount beyond it must fit what is still available.
                var fromReservation = Math.Min(entry.Amount, position.Reserved);
                var beyond = entry.Amount - fromReservation;
                if (beyond > balance.Available)
                {
                    throw new CeilingExceededException(beyond, balance.Available);
                }

                var unusedReservation = position.Reserved - fromReservation;
                return (
                    balance with
                    {
                        Reserved = balance.Reserved - position.Reserved,
                        Committed = balance.Committed + entry.Amount,
                        Released = balance.Released + unusedReservation,
                    },
                    position with { Reserved = 0, Committed = position.Committed + entry.Amount });
            case LedgerKinds.Payment:
                if (entry.Amount > position.Committed)
                {
                    throw new DomainRuleException("amount", $"a payment of {entry.Amount} cents exceeds the {position.Committed} cents committed to {position.Reference}");
                }

                return (
                    balance with { Committed = balance.Committed - entry.Amount, Paid = balance.Paid + entry.Amount },
                    position with { Committed = position.Committed - entry.Amount, Paid = position.Paid + entry.Amount });
            case LedgerKinds.Recovery:
                // Money paid in advance above the settled amount comes back: it is no longer spent.
                if (entry.Amount > position.Paid)
                {
                    throw new DomainRuleException("amount", $"cannot recover {entry.Amount} cents of the {position.Paid} cents paid to {position.Reference}");
                }

                return (
                    balance with { Paid = balance.Paid - entry.Amount, Released = balance.Released + entry.Amount },
                    position with { Paid = position.Paid - entry.Amount });
            case LedgerKinds.Release when entry.Amount > 0:
                if (entry.Amount > position.Committed)
                {
                    throw new DomainRuleException("amount", $"cannot release {entry.Amount} cents of the {position.Committed} cents committed to {position.Reference}");
                }

                return (
                    balance with { Committed = balance.Committed - entry.Amount, Released = balance.Released + entry.Amount },
                    position with { Committed = position.Committed - entry.Amount });
            case LedgerKinds.Release:
                var held = position.Reserved + position.Committed;
                return (
                    balance with
                    {
                        Reserved = balance.Reserved - position.Reserved,
                        Committed = balance.Committed - position.Committed,
                        Released = balance.Released + held,
                    },
                    LedgerPosition.None(position.Reference) with { Paid = position.Paid });
            default:
                throw new DomainRuleException("kind", $"'{entry.Kind}' is not a ledger entry kind");
        }
    }
}

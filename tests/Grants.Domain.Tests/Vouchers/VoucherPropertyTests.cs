using CsCheck;
using Grants.Domain.Rounds;
using Grants.Domain.Vouchers;

namespace Grants.Domain.Tests.Vouchers;

/// <summary>
/// docs/design.md §3's voucher workflow as a property: random sequences of claims (by eligible suppliers,
/// by the holder itself, by a supplier whose claim was disputed; for good and bad amounts), invoices
/// from the claimant and from others, confirmations, disputes, payments, expiry and returns, with
/// time moving forward and back across the end of the validity. After every step the status is one
/// the machine can reach and one the command's trigger leads to; a refused command changes nothing;
/// the voucher's value never changes; a claim is positive, at most the value and never from the holder
/// or a disputed supplier; what is paid is the claim, confirmed with its invoice; what goes back to the
/// ceiling is the value less what was paid; a paid, expired or returned voucher stays as it is.
/// </summary>
public sealed class VoucherPropertyTests
{
    private const string Holder = "11111111";

    private static readonly DateTimeOffset Issued = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly StateMachineGraph Machine = StateMachineGraph.Parse(Voucher.Diagram());

    private static readonly string[] Suppliers = ["22222222", "33333333", "44444444", Holder];

    /// <summary>Returning and expiring end a voucher's life at once: rarer than the rest, so that claims get their turn.</summary>
    private static readonly Gen<Command> Commands =
        Gen.Frequency((1, Gen.Const(Command.Return)), (2, Gen.Const(Command.Expire)), (30, Gen.Enum<Command>().Where(c => c is not (Command.Return or Command.Expire))));

    private static readonly Gen<Step[]> Sequences =
        Gen.Select(Commands, Gen.Int[0, Suppliers.Length - 1], Gen.Int[0, 5], Gen.Int[-30, 90], (c, w, p, d) => new Step(c, w, p, d)).Array[1, 25];

    private enum Command
    {
        Claim,
        AttachInvoice,
        Confirm,
        Dispute,
        Pay,
        Expire,
        Return,
    }

    [Fact]
    public void NoCommandSequenceBreaksTheWorkflowOrTheMoney()
    {
        Gen.Select(Gen.Long[1, 10_000_00], Gen.Int[30, 365], Sequences).Sample((value, validityDays, steps) =>
        {
            var voucher = Builders.IssuedVoucher(value, Issued, validityDays, Holder, Voucher.HashCode("ABCD-EFGH-JKLM"));
            var now = Issued;
            foreach (var step in steps)
            {
                now = now.AddDays(step.Days);
                AggregateStep.Check(Machine, step, () => voucher.Data, d => d.Status, () => Apply(voucher, step, now), (before, after) => Broken(before, voucher, value));
            }
        }, iter: 3_000, threads: 1); // a failure prints the seed that reproduces it
    }

    private static string? Broken(VoucherData before, Voucher voucher, long value)
    {
        var after = voucher.Data;
        if (after.ValueCents != value)
        {
            return "the value of an issued voucher changed";
        }

        if (after.Claim is { } claim && (claim.AmountCents <= 0 || claim.AmountCents > value || claim.SupplierKvk == Holder || claim.ClaimedAt >= after.ValidUntil))
        {
            return "a claim that is not positive, above the value, from the holder or after the validity";
        }

        if (after.Claim is { } disputed && before.DisputedClaims?.Contains(disputed.SupplierKvk) == true)
        {
            return "a claim from a supplier whose claim the holder disputed";
        }

        if ((after.Claim is null) != (after.Status is VoucherStatus.Issued or VoucherStatus.Expired or VoucherStatus.Returned))
        {
            return "a claim outside Claimed, Confirmed and Paid, or one of those without a claim";
        }

        if (after.Status is VoucherStatus.Confirmed or VoucherStatus.Paid && (after.Claim!.InvoiceSha256 is null || after.ConfirmedAt is null))
        {
            return "confirmed or paid without an invoice and the holder's confirmation";
        }

        if (after.Status == VoucherStatus.Paid && (after.PaidAt is null || voucher.ReleasedCents != value - after.Claim!.AmountCents))
        {
            return "paid something other than the claim";
        }

        if (voucher.ReleasedCents < 0 || voucher.ReleasedCents > value
            || (after.Status is VoucherStatus.Expired or VoucherStatus.Returned ? voucher.ReleasedCents != value : after.Status != VoucherStatus.Paid && voucher.ReleasedCents != 0))
        {
            return "released other than the whole value of an unused voucher or the unclaimed part of a paid one";
        }

        if (!(before.DisputedClaims ?? []).SequenceEqual((after.DisputedClaims ?? []).Take(before.DisputedClaims?.Count ?? 0)))
        {
            return "a disputed claim was forgotten";
        }

        if (Machine.IsTerminal(before.Status.ToString()) && AggregateStep.Json(after) != AggregateStep.Json(before))
        {
            return $"a {before.Status} voucher changed";
        }

        return null;
    }

    private static IReadOnlyList<string[]> Apply(Voucher voucher, Step step, DateTimeOffset now)
    {
        var supplier = Suppliers[step.Who];
        switch (step.Command)
        {
            case Command.Claim:
                var value = voucher.Data.ValueCents;
                voucher.Claim(Builders.VerifiedSupplier(supplier), new VoucherRules(), step.Pick switch { 0 => value, 1 => value - 1, 2 => 1, 3 => value + 1, 4 => 0, _ => -1 }, now);
                return [["Claim"]];
            case Command.AttachInvoice:
                voucher.AttachInvoice(step.Pick < 4 ? voucher.Data.Claim?.SupplierKvk ?? supplier : supplier, $"vouchers/invoice-{step.Pick}.pdf", new string('a', 64));
                return [["AttachInvoice"]];
            case Command.Confirm:
                voucher.Confirm(now);
                return [["Confirm"]];
            case Command.Dispute:
                voucher.Dispute();
                return [["Dispute"]];
            case Command.Pay:
                voucher.Pay("ministry", now);
                return [["Pay"]];
            case Command.Expire:
                voucher.Expire(now);
                return [["Expire"]];
            case Command.Return:
                voucher.Return(now);
                return [["Return"]];
            default:
                throw new ArgumentOutOfRangeException(nameof(step));
        }
    }

    private sealed record Step(Command Command, int Who, int Pick, int Days);
}

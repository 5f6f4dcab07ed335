using System.Security.Cryptography;
using System.Text;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Stateless;

namespace Grants.Domain.Vouchers;

/// <summary>docs/design.md §3: Issued → Claimed (a supplier's invoice) → Confirmed (by the holder) → Paid; or Expired / Returned, whose value goes back to the ceiling.</summary>
public enum VoucherStatus
{
    Issued,
    Claimed,
    Confirmed,
    Paid,
    Expired,
    Returned,
}

/// <summary>A supplier's claim: who, how much, and the invoice (a PDF kept in Blob Storage until retention deletes it; its hash stays).</summary>
public sealed record VoucherClaim(string SupplierKvk, long AmountCents, DateTimeOffset ClaimedAt, string? InvoiceBlob = null, string? InvoiceSha256 = null);

/// <summary>
/// A voucher of a fixed value for one holder. Its code is unguessable and only its hash is kept; the
/// code itself reaches the holder by mail, and the holder gives it to the supplier of their choice.
/// </summary>
public sealed record VoucherData(
    string Id,
    string RoundId,
    string ApplicationId,
    string HolderKvk,
    string CodeHash,
    long ValueCents,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil,
    VoucherStatus Status,
    VoucherClaim? Claim = null,
    DateTimeOffset? ConfirmedAt = null,
    string? PaidBy = null,
    DateTimeOffset? PaidAt = null,
    DateTimeOffset? EndedAt = null,
    IReadOnlyList<string>? DisputedClaims = null,
    DateTimeOffset? PersonalDataErasedAt = null);

public sealed class Voucher
{
    private readonly StateMachine<VoucherStatus, Trigger> _machine;

    public Voucher(VoucherData data)
    {
        Data = data;
        _machine = new StateMachine<VoucherStatus, Trigger>(() => Data.Status, status => Data = Data with { Status = status });
        _machine.Configure(VoucherStatus.Issued)
            .Permit(Trigger.Claim, VoucherStatus.Claimed)
            .Permit(Trigger.Expire, VoucherStatus.Expired)
            .Permit(Trigger.Return, VoucherStatus.Returned);
        _machine.Configure(VoucherStatus.Claimed)
            .PermitReentry(Trigger.AttachInvoice)
            .Permit(Trigger.Confirm, VoucherStatus.Confirmed)
            .Permit(Trigger.Dispute, VoucherStatus.Issued);
        _machine.Configure(VoucherStatus.Confirmed).Permit(Trigger.Pay, VoucherStatus.Paid);
    }

    private enum Trigger
    {
        Claim,
        AttachInvoice,
        Confirm,
        Dispute,
        Pay,
        Expire,
        Return,
    }

    public VoucherData Data { get; private set; }

    public static string IdFor(string applicationId) => $"voucher-{applicationId}";

    public static string HashCode(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(code))));

    /// <summary>Codes are read aloud and typed: case, spaces and dashes do not matter.</summary>
    public static string Normalise(string code) => new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    /// <summary>Issued as of the award decision, so the award letter and the voucher name the same expiry, however late the voucher itself is stored.</summary>
    /// <summary>Whether an award of <paramref name="application"/> issues a voucher: one decided in a voucher round, its own.</summary>
    public static bool IsIssuedFor(ApplicationData application, RoundData round) =>
        application.RoundId == round.Id && round.Configuration.Instrument == Instrument.Voucher && application.Status == ApplicationStatus.Awarded && application.Award is not null;

    /// <summary>
    /// The voucher of an award decided in a voucher round (<see cref="IsIssuedFor"/>; refused for anything else), worth the
    /// award, valid for the round's days from the decision (<paramref name="now"/> where the decision has no time of its own).
    /// </summary>
    public static Voucher Issue(ApplicationData awarded, RoundData round, string codeHash, DateTimeOffset now)
    {
        if (!IsIssuedFor(awarded, round))
        {
            throw new InvalidTransitionException("application", awarded.Status.ToString(), "issue a voucher for", "only an award decided in a voucher round issues one");
        }

        var award = awarded.Award!;
        var issuedAt = award.DecidedAt ?? now;
        return award.AmountCents <= 0
            ? throw new DomainRuleException("valueCents", "a voucher must have a positive value")
            : new(new VoucherData(IdFor(awarded.Id), round.Id, awarded.Id, awarded.Applicant.Kvk, codeHash, award.AmountCents, issuedAt,
                ExpiryFor(issuedAt, round.Configuration.VoucherRules.ValidityDays), VoucherStatus.Issued));
    }

    /// <summary>The moment a voucher issued at <paramref name="issuedAt"/> stops being valid.</summary>
    public static DateTimeOffset ExpiryFor(DateTimeOffset issuedAt, int validityDays) => issuedAt.AddDays(validityDays);

    public bool Matches(string code) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Data.CodeHash), Convert.FromHexString(HashCode(code)));

    public bool IsDueToExpire(DateTimeOffset now) => Data.Status == VoucherStatus.Issued && now >= Data.ValidUntil;

    /// <summary>An eligible supplier claims the voucher for work done for the holder, for at most its value.</summary>
    /// <summary>
    /// A supplier claims the voucher: only one the ministry verified and the round's rules allow
    /// (<see cref="NotPermittedException"/> otherwise), never the holder itself or a supplier whose claim the holder
    /// disputed, for at most the voucher's value, while it is valid.
    /// </summary>
    public void Claim(SupplierData supplier, VoucherRules rules, long amountCents, DateTimeOffset now)
    {
        if (supplier.VerifiedAt is null)
        {
            throw new NotPermittedException("The supplier registration has not been verified by the ministry yet.");
        }

        if (Suppliers.Ineligibility(supplier, rules) is { } why)
        {
            throw new NotPermittedException($"This supplier may not redeem this voucher: {why}.");
        }

        var supplierKvk = supplier.Kvk;
        if (now >= Data.ValidUntil)
        {
            throw new InvalidTransitionException("voucher", "expired", "claim");
        }

        if (supplierKvk == Data.HolderKvk)
        {
            throw new DomainRuleException("supplier", "a holder cannot redeem its own voucher");
        }

        if (Data.DisputedClaims?.Contains(supplierKvk) == true)
        {
            throw new DomainRuleException("supplier", "the holder disputed this supplier's earlier claim on this voucher");
        }

        if (amountCents <= 0 || amountCents > Data.ValueCents)
        {
            throw new DomainRuleException("amountCents", $"must be positive and at most the voucher's value of {Data.ValueCents} cents");
        }

        Fire(Trigger.Claim, "claim");
        Data = Data with { Claim = new VoucherClaim(supplierKvk, amountCents, now) };
    }

    public void AttachInvoice(string supplierKvk, string blobName, string sha256)
    {
        RequireClaimant(supplierKvk);
        Fire(Trigger.AttachInvoice, "attach an invoice to");
        Data = Data with { Claim = Data.Claim! with { InvoiceBlob = blobName, InvoiceSha256 = sha256 } };
    }

    /// <summary>The holder confirms the work was done; only with the invoice attached.</summary>
    public void Confirm(DateTimeOffset now)
    {
        if (Data.Status == VoucherStatus.Claimed && Data.Claim?.InvoiceSha256 is null)
        {
            throw new DomainRuleException("invoice", "the supplier has not attached its invoice yet");
        }

        Fire(Trigger.Confirm, "confirm");
        Data = Data with { ConfirmedAt = now };
    }

    /// <summary>The holder does not recognise the claim: the voucher is free again for another supplier.</summary>
    public void Dispute()
    {
        Fire(Trigger.Dispute, "dispute the claim on");
        Data = Data with { Claim = null, DisputedClaims = [.. Data.DisputedClaims ?? [], Data.Claim!.SupplierKvk] };
    }

    /// <summary>The ministry approves the confirmed claim: the supplier is paid the claimed amount.</summary>
    public void Pay(string by, DateTimeOffset now)
    {
        Fire(Trigger.Pay, "pay");
        Data = Data with { PaidBy = by, PaidAt = now };
    }

    public void Expire(DateTimeOffset now)
    {
        if (now < Data.ValidUntil)
        {
            throw new InvalidTransitionException("voucher", "still valid", "expire");
        }

        Fire(Trigger.Expire, "expire");
        Data = Data with { EndedAt = now };
    }

    /// <summary>The holder hands back a voucher it will not use.</summary>
    public void Return(DateTimeOffset now)
    {
        Fire(Trigger.Return, "return");
        Data = Data with { EndedAt = now };
    }

    /// <summary>
    /// Past retention: the invoice is deleted, so the claim no longer points at it. The value, the
    /// claim's supplier, amount and invoice hash, the dates, the status and who paid stay, for
    /// accounting and the evaluation. The holder's address and the code were only ever in the mail.
    /// </summary>
    public void ErasePersonalData(DateTimeOffset now)
    {
        if (Data.PersonalDataErasedAt is not null)
        {
            throw new InvalidTransitionException("voucher", "already erased", "erase personal data of");
        }

        Data = Data with { Claim = Data.Claim is { } claim ? claim with { InvoiceBlob = null } : null, PersonalDataErasedAt = now };
    }

    /// <summary>The value that goes back to the round's ceiling: all of it when expired or returned; the unclaimed part once paid.</summary>
    public long ReleasedCents => Data.Status switch
    {
        VoucherStatus.Expired or VoucherStatus.Returned => Data.ValueCents,
        VoucherStatus.Paid => Data.ValueCents - Data.Claim!.AmountCents,
        _ => 0,
    };

    public static string Diagram() =>
        Stateless.Graph.MermaidGraph.Format(new Voucher(new VoucherData("", "", "", "", new string('0', 64), 1, default, default, VoucherStatus.Issued))._machine.GetInfo());

    private void RequireClaimant(string supplierKvk)
    {
        if (Data.Claim?.SupplierKvk != supplierKvk)
        {
            throw new InvalidTransitionException("voucher", Data.Status.ToString(), "attach an invoice for another supplier's claim on");
        }
    }

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("voucher", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}

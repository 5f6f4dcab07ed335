using System.Security.Cryptography;
using Grants.Contracts.Vouchers;
using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Applications.Attachments;
using Grants.Functions.Budget;
using Grants.Functions.Lottery;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Vouchers;

/// <summary>
/// Vouchers from award to payment: issued with an unguessable code on award in a voucher round,
/// claimed once by an eligible supplier with its invoice, confirmed by the holder, paid by the ministry
/// through the ledger; returned or expired vouchers give their value back and offer the next reserve entry.
/// </summary>
public sealed class VoucherHandlers(
    VoucherStores vouchers, ApplicationStore applications, RoundStore rounds, AttachmentStore files, BudgetLedgerStore ledger, CutoffChanges cutoff,
    TimeProvider time, ILogger<VoucherHandlers> logger)
{
    public const string SystemActor = "system:voucher-expiry";

    // Crockford-style alphabet without I, L, O, U: codes are read aloud and typed.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public async Task<IResult> RegisterSupplierAsync(RegisterSupplierRequest body, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation is not { } kvk)
        {
            return Problems.Of(ProblemKind.Forbidden, "A supplier's token must carry its KvK number as organisation.");
        }

        var supplier = Suppliers.Register(kvk, body.Name, body.Kind == "consultancy" ? SupplierKind.Consultancy : SupplierKind.KnowledgeInstitution,
            [.. (body.References ?? []).Select(r => new SupplierReference(r.Client.Trim(), r.Assignment.Trim(), r.Year))], time.GetUtcNow());
        var created = await vouchers.CreateSupplierAsync(supplier, caller.AuditName, cancellationToken);
        return TypedResults.Created($"/api/suppliers/{kvk}", VoucherStores.ToResponse(created.State));
    }

    /// <summary>
    /// Ministry staff verify a registration against the trade register and the references before the
    /// supplier may redeem vouchers: a supplier's own statement of its kind is not enough.
    /// </summary>
    public async Task<IResult> VerifySupplierAsync(string kvk, Caller caller, CancellationToken cancellationToken)
    {
        if (await vouchers.FindSupplierAsync(kvk, cancellationToken) is not { } stored)
        {
            return Problems.Of(ProblemKind.NotFound, $"No supplier {kvk}.");
        }

        if (stored.WrittenByCurrentOperation)
        {
            return TypedResults.Ok(VoucherStores.ToResponse(stored.State)); // this request's earlier attempt verified it
        }

        var verified = Suppliers.Verify(stored.State, caller.AuditName, time.GetUtcNow());
        var saved = await vouchers.SaveSupplierAsync(stored, verified, caller.AuditName, cancellationToken);
        return TypedResults.Ok(VoucherStores.ToResponse(saved.State));
    }

    /// <summary>Issues the voucher of an application awarded in a voucher round; a voucher issued before is left alone.</summary>
    public async Task IssueAsync(ApplicationData awarded, RoundData round, CancellationToken cancellationToken)
    {
        if (round.Configuration.Instrument != Instrument.Voucher || awarded.Status != ApplicationStatus.Awarded || awarded.Award is null)
        {
            return;
        }

        var code = NewCode();
        var voucher = Voucher.Issue(round.Id, awarded.Id, awarded.Applicant.Kvk, Voucher.HashCode(code), awarded.Award.AmountCents, awarded.Award.DecidedAt ?? time.GetUtcNow(), round.Configuration.VoucherRules.ValidityDays);
        try
        {
            await vouchers.CreateAsync(voucher, SystemActor, Change.Of(new PendingAuditEvent("VoucherIssued", new { voucher.Data.ValueCents, voucher.Data.ValidUntil }),
                VoucherMail.Issued(awarded, voucher.Data, FormatCode(code), round)), cancellationToken);
        }
        catch (AggregateExistsException)
        {
        }
    }

    public async Task<IResult> OfApplicationAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        var application = await applications.FindAsync(applicationId, cancellationToken);
        if (application is null || !(ApplicationStore.MaySee(caller, application.State) || caller.HasRole(Roles.Auditor))
            || await vouchers.FindAsync(Voucher.IdFor(applicationId), cancellationToken) is not { } voucher)
        {
            return Problems.Of(ProblemKind.NotFound, $"No voucher for application {applicationId}.");
        }

        return TypedResults.Ok(VoucherStores.ToResponse(voucher)).WithETag(voucher.ETag);
    }

    /// <summary>A registered, eligible supplier claims a voucher by its code. Two claims at once: one wins, the other gets 409.</summary>
    public async Task<IResult> ClaimAsync(ClaimVoucherRequest body, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation is null || await vouchers.FindSupplierAsync(caller.Organisation, cancellationToken) is not { } supplier)
        {
            return Problems.Of(ProblemKind.Forbidden, "Register as a supplier (POST /api/suppliers) before claiming vouchers.");
        }

        if (supplier.State.VerifiedAt is null)
        {
            return Problems.Of(ProblemKind.Forbidden, "The supplier registration has not been verified by the ministry yet.");
        }

        if (await vouchers.FindByCodeAsync(body.Code, cancellationToken) is not { } stored || !new Voucher(stored.State).Matches(body.Code))
        {
            return Problems.Of(ProblemKind.NotFound, "No voucher has this code.");
        }

        var round = await rounds.FindAsync(stored.State.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {stored.State.RoundId} vanished.");
        if (Suppliers.Ineligibility(supplier.State, round.State.Configuration.VoucherRules) is { } why)
        {
            return Problems.Of(ProblemKind.Forbidden, $"This supplier may not redeem this voucher: {why}.");
        }

        if (stored.WrittenByCurrentOperation)
        {
            return TypedResults.Ok(VoucherStores.ToResponse(stored)).WithETag(stored.ETag); // this request's earlier attempt claimed it
        }

        var voucher = new Voucher(stored.State);
        voucher.Claim(supplier.State.Kvk, body.AmountCents, time.GetUtcNow());
        var saved = await vouchers.SaveAsync(stored, voucher, caller.AuditName, Change.Of(new PendingAuditEvent("VoucherClaimed", voucher.Data.Claim)), cancellationToken);
        return TypedResults.Ok(VoucherStores.ToResponse(saved)).WithETag(saved.ETag);
    }

    /// <summary>The claiming supplier's invoice, a PDF streamed into Blob Storage.</summary>
    public async Task<IResult> AttachInvoiceAsync(string voucherId, HttpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation is null || await vouchers.FindAsync(voucherId, cancellationToken) is not { } stored || stored.State.Claim?.SupplierKvk != caller.Organisation)
        {
            return Problems.Of(ProblemKind.NotFound, $"No claim of yours on voucher {voucherId}.");
        }

        // Checked before the upload, so a refused invoice leaves no file behind.
        if (stored.State.Status != VoucherStatus.Claimed)
        {
            throw new Domain.Common.InvalidTransitionException("voucher", stored.State.Status.ToString(), "attach an invoice to");
        }

        var upload = await files.UploadAsync(voucherId, "invoice", new FileUpload(request.Body, request.ContentLength), cancellationToken);
        if (upload.Failure is { } refused)
        {
            return ResultResponses.Problem(refused);
        }

        var file = upload.Value!;

        try
        {
            var voucher = new Voucher(stored.State);
            voucher.AttachInvoice(caller.Organisation, file!.BlobName, file.Sha256);
            var saved = await vouchers.SaveAsync(stored, voucher, caller.AuditName, Change.Of(new PendingAuditEvent("VoucherInvoiceAttached", new { file.Sha256, file.Size })), cancellationToken);
            return TypedResults.Ok(VoucherStores.ToResponse(saved)).WithETag(saved.ETag);
        }
        catch
        {
            await files.DeleteAsync(file!.BlobName);
            throw;
        }
    }

    public async Task<IResult> ConfirmAsync(string voucherId, Caller caller, CancellationToken cancellationToken) =>
        Respond(voucherId, await HolderActsAsync(voucherId, caller, v => v.Confirm(time.GetUtcNow()), "VoucherClaimConfirmed", cancellationToken));

    public async Task<IResult> DisputeAsync(string voucherId, Caller caller, CancellationToken cancellationToken) =>
        Respond(voucherId, await HolderActsAsync(voucherId, caller, v => v.Dispute(), "VoucherClaimDisputed", cancellationToken));

    public async Task<IResult> ReturnAsync(string voucherId, Caller caller, CancellationToken cancellationToken)
    {
        var saved = await HolderActsAsync(voucherId, caller, v => v.Return(time.GetUtcNow()), "VoucherReturned", cancellationToken);
        if (saved is not null)
        {
            await ReleaseAsync(saved.State, "return", caller, cancellationToken);
        }

        return Respond(voucherId, saved);
    }

    /// <summary>The ministry pays the confirmed claim: the payment and any unclaimed remainder are booked first, then the voucher is marked paid.</summary>
    public async Task<IResult> PayAsync(string voucherId, Caller caller, CancellationToken cancellationToken)
    {
        if (await vouchers.FindAsync(voucherId, cancellationToken) is not { } stored)
        {
            return Problems.Of(ProblemKind.NotFound, $"No voucher {voucherId}.");
        }

        if (stored.WrittenByCurrentOperation)
        {
            return TypedResults.Ok(VoucherStores.ToResponse(stored)).WithETag(stored.ETag); // paid by this request's earlier attempt, its bookings first
        }

        var voucher = new Voucher(stored.State);
        var now = time.GetUtcNow();
        voucher.Pay(caller.Subject, now);
        var claim = voucher.Data.Claim!;
        await ledger.PostAsync(voucher.Data.RoundId, new LedgerEntry($"payment-{voucher.Data.Id}", LedgerKinds.Payment, voucher.Data.ApplicationId, claim.AmountCents, caller.AuditName, now, $"voucher paid to supplier {claim.SupplierKvk}"), cancellationToken);
        if (voucher.ReleasedCents > 0)
        {
            await ledger.PostAsync(voucher.Data.RoundId, new LedgerEntry($"unclaimed-{voucher.Data.Id}", LedgerKinds.Release, voucher.Data.ApplicationId, voucher.ReleasedCents, caller.AuditName, now, "unclaimed part of the voucher"), cancellationToken);
        }

        var saved = await vouchers.SaveAsync(stored, voucher, caller.AuditName, Change.Of(new PendingAuditEvent("VoucherPaid", new { claim.SupplierKvk, claim.AmountCents })), cancellationToken);
        return TypedResults.Ok(VoucherStores.ToResponse(saved)).WithETag(saved.ETag);
    }

    /// <summary>
    /// Every night: vouchers past their validity expire, and the value of every expired or returned
    /// voucher is released down the reserve list — again for those done before, which is a no-op, so
    /// a release interrupted earlier is completed. One voucher that fails does not stop the others.
    /// </summary>
    public async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        var system = new Caller(SystemActor, new HashSet<string>(), null);
        foreach (var stored in await vouchers.InStatusAsync(VoucherStatus.Issued, cancellationToken))
        {
            var voucher = new Voucher(stored.State);
            if (!voucher.IsDueToExpire(time.GetUtcNow()))
            {
                continue;
            }

            await SafelyAsync(stored.Id, async () =>
            {
                voucher.Expire(time.GetUtcNow());
                await vouchers.SaveAsync(stored, voucher, SystemActor, Change.Of(new PendingAuditEvent("VoucherExpired", new { voucher.Data.ValueCents })), cancellationToken);
            });
        }

        foreach (var status in new[] { VoucherStatus.Expired, VoucherStatus.Returned })
        {
            foreach (var ended in await vouchers.InStatusAsync(status, cancellationToken))
            {
                await SafelyAsync(ended.Id, () => ReleaseAsync(ended.State, status == VoucherStatus.Expired ? "expiry" : "return", system, cancellationToken));
            }
        }

        // An award whose voucher was never issued (the issue failed after the award was saved) gets it now.
        foreach (var awarded in await applications.InStatusAsync(ApplicationStatus.Awarded, cancellationToken))
        {
            if (await vouchers.FindAsync(Voucher.IdFor(awarded.Id), cancellationToken) is null && await rounds.FindAsync(awarded.State.RoundId, cancellationToken) is { } round)
            {
                await SafelyAsync(awarded.Id, () => IssueAsync(awarded.State, round.State, cancellationToken));
            }
        }
    }

    private async Task SafelyAsync(string id, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (ConcurrencyConflictException)
        {
            logger.LogInformation("{Id} changed meanwhile; the next run picks it up.", id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Voucher work on {Id} failed; retrying next run.", id);
        }
    }

    private async Task ReleaseAsync(VoucherData voucher, string kind, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(voucher.ApplicationId, cancellationToken) is { } application)
        {
            await cutoff.AfterReleaseAsync(application.State, kind, $"Voucher {voucher.Id} {(kind == "expiry" ? "expired unused" : "was returned")}.", caller, cancellationToken);
        }
    }

    /// <returns>The saved voucher; null when there is no such voucher of the caller's organisation.</returns>
    private async Task<StoredAggregate<VoucherData>?> HolderActsAsync(string voucherId, Caller caller, Action<Voucher> act, string auditType, CancellationToken cancellationToken)
    {
        if (await vouchers.FindAsync(voucherId, cancellationToken) is not { } stored || caller.Organisation != stored.State.HolderKvk || !caller.HasRole(Roles.Applicant))
        {
            return null;
        }

        if (stored.WrittenByCurrentOperation)
        {
            return stored; // this request's earlier attempt acted; what follows the save is repeatable
        }

        var voucher = new Voucher(stored.State);
        act(voucher);
        return await vouchers.SaveAsync(stored, voucher, caller.AuditName, Change.Of(new PendingAuditEvent(auditType, null)), cancellationToken);
    }

    private static IResult Respond(string voucherId, StoredAggregate<VoucherData>? saved) =>
        saved is null ? Problems.Of(ProblemKind.NotFound, $"No voucher {voucherId} of yours.") : TypedResults.Ok(VoucherStores.ToResponse(saved)).WithETag(saved.ETag);

    /// <summary>16 characters from a 32-letter alphabet: 80 random bits.</summary>
    private static string NewCode() => new(Enumerable.Range(0, 16).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray());

    private static string FormatCode(string code) => string.Join('-', code.Chunk(4).Select(c => new string(c)));
}

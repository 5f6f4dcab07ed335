using Grants.Domain.Applications;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Vouchers;

/// <summary>Every night: vouchers past their validity expire; their value offers the next reserve entry.</summary>
public sealed class ExpireVouchers(ExpireVouchersHandler handler)
{
    [Function(nameof(ExpireVouchers))]
    public Task Run([TimerTrigger("0 30 2 * * *")] TimerInfo timer, CancellationToken cancellationToken) => handler.HandleAsync(cancellationToken);
}

/// <summary>
/// Vouchers past their validity expire, and the value of every expired or returned voucher is released
/// down the reserve list — again for those done before, which is a no-op, so a release interrupted
/// earlier is completed. One voucher that fails does not stop the others.
/// </summary>
public sealed class ExpireVouchersHandler(VoucherStore vouchers, ApplicationStore applications, RoundStore rounds, IssueVoucherHandler issue, VoucherRelease release, TimeProvider time, ILogger<ExpireVouchersHandler> logger)
{
    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        var system = new Caller(IssueVoucherHandler.SystemActor, new HashSet<string>(), null);
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
                await vouchers.SaveAsync(stored, voucher, IssueVoucherHandler.SystemActor, Change.Of(new PendingAuditEvent("VoucherExpired", new { voucher.Data.ValueCents })), cancellationToken);
            });
        }

        foreach (var status in new[] { VoucherStatus.Expired, VoucherStatus.Returned })
        {
            foreach (var ended in await vouchers.InStatusAsync(status, cancellationToken))
            {
                await SafelyAsync(ended.Id, () => release.HandleAsync(ended.State, status == VoucherStatus.Expired ? "expiry" : "return", system, cancellationToken));
            }
        }

        // An award whose voucher was never issued (the issue failed after the award was saved) gets it now.
        foreach (var awarded in await applications.InStatusAsync(ApplicationStatus.Awarded, cancellationToken))
        {
            if (await vouchers.FindAsync(Voucher.IdFor(awarded.Id), cancellationToken) is null && await rounds.FindAsync(awarded.State.RoundId, cancellationToken) is { } round)
            {
                await SafelyAsync(awarded.Id, () => issue.HandleAsync(awarded.State, round.State, cancellationToken));
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
}

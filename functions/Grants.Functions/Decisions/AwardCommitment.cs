using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Rounds;
using Grants.Functions.Budget;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;

namespace Grants.Functions.Decisions;

/// <summary>
/// An award once decided, at once or on its second approval: booked in the round's ledger before anything
/// about the application changes, so that the ceiling is never exceeded and a refused award changes
/// nothing; then kept as its letter and committed. Once stored, a voucher award issues its voucher.
/// </summary>
public sealed class AwardCommitment(BudgetLedgerStore ledger, DecisionDocuments documents, RoundStore rounds, Vouchers.IssueVoucherHandler issueVoucher, TimeProvider time)
{
    /// <summary>The commit of the decided award; the ledger entry is named after the application, so a retry books it once.</summary>
    public async Task<Result<Commit<ApplicationData>>> CommitAsync(Application application, RoundData round, Caller caller, string auditType, CancellationToken cancellationToken)
    {
        var decided = application.Data;
        await ledger.PostAsync(decided.RoundId, new LedgerEntry($"award-{decided.Id}", LedgerKinds.Commit, decided.Id, decided.Award!.AmountCents, caller.AuditName, time.GetUtcNow(), auditType), cancellationToken);
        var change = await documents.KeepAsync(decided, round, "award", auditType, cancellationToken);
        return new Commit<ApplicationData>(decided, decided.Status.ToString(), change);
    }

    /// <summary>
    /// After the award is stored, from the stored application: a voucher award issues its voucher (a no-op for any
    /// other, and for one issued before), so that a retried award whose earlier attempt stopped short completes it.
    /// </summary>
    public async Task IssueVoucherAsync(StoredAggregate<ApplicationData> awarded, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(awarded.State.RoundId, cancellationToken) is { } round)
        {
            await issueVoucher.HandleAsync(awarded.State, round.State, cancellationToken);
        }
    }
}

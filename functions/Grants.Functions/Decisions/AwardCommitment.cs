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
/// nothing; then kept as its letter and committed. Once stored, a voucher award issues its voucher (Vouchers subscribes to the award).
/// </summary>
public sealed class AwardCommitment(BudgetLedgerStore ledger, DecisionDocuments documents, TimeProvider time)
{
    /// <summary>
    /// The commit of the decided award; the ledger entry is named after the application, so a retry books it once.
    /// It raises <see cref="ApplicationEvents.AwardDecided"/>, on which a voucher round issues the voucher.
    /// </summary>
    public async Task<Result<Commit<ApplicationData>>> CommitAsync(Application application, RoundData round, Caller caller, string auditType, CancellationToken cancellationToken)
    {
        var decided = application.Data;
        await ledger.PostAsync(decided.RoundId, new LedgerEntry($"award-{decided.Id}", LedgerKinds.Commit, decided.Id, decided.Award!.AmountCents, caller.AuditName, time.GetUtcNow(), auditType), cancellationToken);
        var change = await documents.KeepAsync(decided, round, "award", auditType, cancellationToken);
        return new Commit<ApplicationData>(decided, decided.Status.ToString(), change.Raising(new OutboxEvent(ApplicationEvents.AwardDecided)));
    }
}

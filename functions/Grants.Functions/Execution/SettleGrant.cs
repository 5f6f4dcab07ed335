using Grants.Contracts.Execution;
using Grants.Domain.Budget;
using Grants.Domain.Execution;
using Grants.Functions.Budget;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Execution;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Settle the grant (vaststelling) on the eligible costs: final payment or recovery of the advance, booked in the ledger", Tag = "Execution", Request = typeof(SettleGrantRequest), Response = typeof(GrantResponse), ReturnsETag = true)]
public sealed class SettleGrant(RequestGate gate, SettleGrantHandler handler)
{
    [Function(nameof(SettleGrant))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "grants/{grantId}/settlement")] HttpRequest request, string grantId, CancellationToken cancellationToken) =>
        gate.RunAsync<SettleGrant, SettleGrantRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(grantId, body, caller, ct)).Ok(GrantResponses.From), cancellationToken);
}

/// <summary>
/// Settlement: the decision is saved on the grant first (under its ETag, so two settlements cannot
/// both win), then its final payment, recovery and release are booked from the stored decision. A
/// repeated request with the same costs books whatever a failure left unbooked; other costs get 409.
/// </summary>
public sealed class SettleGrantHandler(CommandExecutor commands, GrantStore grants, BudgetLedgerStore ledger, TimeProvider time)
{
    public async Task<Result<StoredAggregate<GrantData>>> HandleAsync(string grantId, SettleGrantRequest body, Caller caller, CancellationToken cancellationToken)
    {
        var settled = await commands.ChangeAsync(grants, grantId, ifMatch: null, caller.AuditName, stored =>
        {
            var grant = new GrantAgreement(stored.State);
            if (stored.State.Settlement is { } existing)
            {
                return existing.EligibleCostsCents == body.EligibleCostsCents
                    ? Commit<GrantData>.Unchanged(stored) // settled before: book whatever a failure left unbooked
                    : throw new Domain.Common.InvalidTransitionException("grant", "Settled", "settle", $"it was settled on eligible costs of {existing.EligibleCostsCents} cents, and a settlement is final");
            }

            var settlement = grant.Settle(body.EligibleCostsCents, caller.AuditName, time.GetUtcNow());
            return new Commit<GrantData>(grant.Data, grant.Data.Status.ToString(), Change.Of(new PendingAuditEvent("GrantSettled", settlement)));
        }, cancellationToken);

        if (settled.Value is { } saved)
        {
            await BookAsync(saved.State, cancellationToken);
        }

        return settled;
    }

    private async Task BookAsync(GrantData grant, CancellationToken cancellationToken)
    {
        var s = grant.Settlement!;
        var (round, reference, id) = (grant.RoundId, grant.ApplicationId, grant.Id);
        if (s.FinalPaymentCents > 0)
        {
            await ledger.PostAsync(round, new LedgerEntry($"final-payment-{id}", LedgerKinds.Payment, reference, s.FinalPaymentCents, s.SettledBy, s.SettledAt, "settlement: final payment"), cancellationToken);
        }

        if (s.RecoveryCents > 0)
        {
            await ledger.PostAsync(round, new LedgerEntry($"recovery-{id}", LedgerKinds.Recovery, reference, s.RecoveryCents, s.SettledBy, s.SettledAt, "settlement: advance above the settled amount to be recovered"), cancellationToken);
        }

        // Whatever is still committed beyond the settled amount goes back to the ceiling.
        await ledger.PostAsync(round, new LedgerEntry($"settled-release-{id}", LedgerKinds.Release, reference, 0, s.SettledBy, s.SettledAt, "settlement: award not used"), cancellationToken);
    }
}

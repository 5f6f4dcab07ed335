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
[ApiOperation("Pay a scheduled advance through the round's ledger", Tag = "Execution", Response = typeof(GrantResponse), ReturnsETag = true)]
public sealed class PayAdvance(RequestGate gate, PayAdvanceHandler handler)
{
    [Function(nameof(PayAdvance))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "grants/{grantId}/advances/{advanceId}/pay")] HttpRequest request, string grantId, string advanceId, CancellationToken cancellationToken) =>
        gate.RunAsync<PayAdvance>(request, async (caller, ct) => (await handler.HandleAsync(grantId, advanceId, caller, ct)).Ok(GrantResponses.From), cancellationToken);
}

/// <summary>Pays an advance: booked in the round's ledger first, then recorded on the grant.</summary>
public sealed class PayAdvanceHandler(CommandExecutor commands, GrantStore grants, BudgetLedgerStore ledger, TimeProvider time)
{
    public Task<Result<StoredAggregate<GrantData>>> HandleAsync(string grantId, string advanceId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(grants, grantId, ifMatch: null, caller.AuditName, async stored =>
        {
            var grant = new GrantAgreement(stored.State);
            var paid = grant.PayAdvance(advanceId, caller.AuditName, time.GetUtcNow());
            await ledger.PostAsync(stored.State.RoundId, new LedgerEntry($"{advanceId}-{grantId}", LedgerKinds.Payment, stored.State.ApplicationId, paid.AmountCents, caller.AuditName, time.GetUtcNow(), "advance"), cancellationToken);
            return (Result<Commit<GrantData>>)new Commit<GrantData>(grant.Data, grant.Data.Status.ToString(), Change.Of(new PendingAuditEvent("AdvancePaid", paid)));
        }, cancellationToken);
}

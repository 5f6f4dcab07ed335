using Grants.Contracts.Lottery;
using Grants.Functions.Budget;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("A round's budget ledger: ceiling, reserved, committed, released, available, and every entry", Tag = "Budget", Response = typeof(BudgetResponse))]
public sealed class GetBudget(RequestGate gate, BudgetLedgerStore ledger)
{
    [Function(nameof(GetBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/budget")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetBudget>(request, async (_, ct) =>
            TypedResults.Ok(BudgetResponses.From(roundId, await ledger.BalanceAsync(roundId, ct), await ledger.EntriesAsync(roundId, ct))), cancellationToken);
}

using Grants.Contracts.Evaluation;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Evaluation;

/// <summary>
/// Query: <c>baseline</c> (expected share of losers whose project goes ahead anyway, default 0.5, the
/// most cautious), <c>responseRate</c> (expected follow-up response, default 1), <c>alpha</c> (0.05),
/// <c>power</c> (0.8); and, before the pool is frozen, <c>poolSize</c> and <c>meanAmountCents</c>.
/// </summary>
[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("Power and minimum detectable effect of a round's evaluation, usable before the draw", Tag = "Evaluation", Response = typeof(PowerPlanResponse), Query = "baseline,responseRate,alpha,power,poolSize,meanAmountCents")]
public sealed class GetPowerPlan(RequestGate gate, EvaluationHandlers handlers)
{
    [Function(nameof(GetPowerPlan))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation/power")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetPowerPlan>(request, (_, ct) => handlers.PowerAsync(roundId, request.Query, ct), cancellationToken);
}

using Grants.Contracts.Evaluation;
using Grants.Evaluation.Planning;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Evaluation;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The round's analysis plan: as committed when the round opened (its hash announced before the draw and carried by the lottery protocol), every amendment since, with who, when and why (schema: contracts/schemas/analysis-plan.schema.json)",
    Tag = "Evaluation", Response = typeof(AnalysisPlanRecord))]
public sealed class GetAnalysisPlan(RequestGate gate, AnalysisPlanHandlers handlers)
{
    [Function(nameof(GetAnalysisPlan))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation/plan")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetAnalysisPlan>(request, (_, ct) => handlers.GetAsync(roundId, ct), cancellationToken);
}

/// <summary>Only once the draw is published, and not once the evaluation is complete; a plan identical to the one in force is refused.</summary>
[RolesAllowed(Roles.Ministry)]
[ApiOperation("Amend the round's analysis plan after the draw, saying why: fields left out keep their value in the plan in force; the committed plan and every amendment stay listed",
    Tag = "Evaluation", Request = typeof(AmendAnalysisPlanRequest), Response = typeof(AnalysisPlanRecord))]
public sealed class AmendAnalysisPlan(RequestGate gate, AnalysisPlanHandlers handlers)
{
    [Function(nameof(AmendAnalysisPlan))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/evaluation/plan/amendments")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AmendAnalysisPlan, AmendAnalysisPlanRequest>(request, (caller, body, ct) => handlers.AmendAsync(roundId, body, caller, ct), cancellationToken);
}

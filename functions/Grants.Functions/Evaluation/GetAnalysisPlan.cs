using Grants.Evaluation.Planning;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Evaluation;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The round's analysis plan: as committed when the round opened (its hash announced before the draw and carried by the lottery protocol), every amendment since, with who, when and why (schema: contracts/schemas/analysis-plan.schema.json)",
    Tag = "Evaluation", Response = typeof(AnalysisPlanRecord))]
public sealed class GetAnalysisPlan(RequestGate gate, RoundStore rounds)
{
    [Function(nameof(GetAnalysisPlan))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation/plan")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetAnalysisPlan>(request, async (_, ct) =>
            (await rounds.FindAsync(roundId, ct) is not { } stored ? RoundStore.NotFound(roundId)
                : stored.State.AnalysisPlan is { } record ? record
                : (Result<AnalysisPlanRecord>)Failure.NotFound($"Round {roundId} has not opened: its analysis plan is committed when it opens, and until then is part of its configuration (GET /api/rounds/{roundId}).")).Respond(EvaluationResponses.PlanRecord),
            cancellationToken);
}

using Grants.Contracts.Evaluation;
using Grants.Domain.Rounds;
using Grants.Evaluation.Planning;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Evaluation;

/// <summary>Only once the draw is published, and not once the evaluation is complete; a plan identical to the one in force is refused.</summary>
[RolesAllowed(Roles.Ministry)]
[ApiOperation("Amend the round's analysis plan after the draw, saying why: fields left out keep their value in the plan in force; the committed plan and every amendment stay listed",
    Tag = "Evaluation", Request = typeof(AmendAnalysisPlanRequest), Response = typeof(AnalysisPlanRecord))]
public sealed class AmendAnalysisPlan(RequestGate gate, AmendAnalysisPlanHandler handler)
{
    [Function(nameof(AmendAnalysisPlan))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/evaluation/plan/amendments")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<AmendAnalysisPlan, AmendAnalysisPlanRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(roundId, body, caller, ct)).Respond(EvaluationResponses.PlanRecord), cancellationToken);
}

/// <summary>Records an amendment of the analysis plan (docs/decisions/0013); the rules are the round machine's.</summary>
public sealed class AmendAnalysisPlanHandler(CommandExecutor commands, RoundStore rounds, TimeProvider time)
{
    public async Task<Result<AnalysisPlanRecord>> HandleAsync(string roundId, AmendAnalysisPlanRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var amended = await commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            var inForce = stored.State.AnalysisPlan?.InForce;
            // A field the request leaves out keeps its value in the plan in force; before the round opens there is none, and the machine refuses.
            var plan = RoundConfigurations.ToPlan(request.Plan, inForce ?? stored.State.Configuration.EffectiveAnalysisPlan);
            var amendment = round.AmendAnalysisPlan(plan, request.Reason, caller.Subject, time.GetUtcNow());
            var auditEvent = new PendingAuditEvent("AnalysisPlanAmended", new
            {
                previousHash = inForce!.Hash(),
                amendment.Hash,
                amendment.Reason,
                changes = inForce.DifferencesTo(amendment.Plan),
                plan = amendment.Plan,
            });
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(auditEvent));
        }, cancellationToken);
        return amended.Select(saved => saved.State.AnalysisPlan!);
    }
}

using Grants.Contracts.Evaluation;
using Grants.Domain.Rounds;
using Grants.Evaluation.Planning;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Evaluation;

/// <summary>
/// A round's analysis plan as committed when it opened, and its amendments after the draw (docs/decisions/0013).
/// The rules are the round machine's; this reads, saves and answers with the record as the export holds it.
/// </summary>
public sealed class AnalysisPlanHandlers(RoundStore rounds, TimeProvider time)
{
    public async Task<IResult> GetAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        return stored.State.AnalysisPlan is { } record
            ? Record(record)
            : NotCommitted(roundId);
    }

    public async Task<IResult> AmendAsync(string roundId, AmendAnalysisPlanRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var saved = stored;
        if (!stored.WrittenByCurrentOperation) // otherwise this request's earlier attempt recorded the amendment
        {
            var round = new Round(stored.State);
            var inForce = stored.State.AnalysisPlan?.InForce;
            // A field the request leaves out keeps its value in the plan in force; before the round opens there is none, and the machine refuses.
            var plan = RoundConfigurations.ToPlan(request.Plan, inForce ?? stored.State.Configuration.EffectiveAnalysisPlan);
            var amendment = round.AmendAnalysisPlan(plan, request.Reason, caller.Subject, time.GetUtcNow());
            saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("AnalysisPlanAmended", new
            {
                previousHash = inForce!.Hash(),
                amendment.Hash,
                amendment.Reason,
                changes = inForce.DifferencesTo(amendment.Plan),
                plan = amendment.Plan,
            }), cancellationToken);
        }

        return Record(saved.State.AnalysisPlan!);
    }

    /// <summary>The record exactly as the evaluator export's analysis-plan.json holds it.</summary>
    private static IResult Record(AnalysisPlanRecord record) =>
        TypedResults.Text(record.ToJson(), "application/json", System.Text.Encoding.UTF8);

    private static IResult NotCommitted(string roundId) =>
        Problems.Of(ProblemKind.NotFound, $"Round {roundId} has not opened: its analysis plan is committed when it opens, and until then is part of its configuration (GET /api/rounds/{roundId}).");
}

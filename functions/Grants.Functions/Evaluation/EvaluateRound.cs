using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Evaluation;

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The round's effect evaluation: deadweight, effects and corrections per wave ", Tag = "Evaluation", ResponseSchema = "evaluation-report")]
public sealed class GetEvaluation(RequestGate gate, EvaluateRoundHandler handler)
{
    [Function(nameof(GetEvaluation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetEvaluation>(request, async (_, ct) => (await handler.HandleAsync(roundId, ct)).Respond(EvaluationResponses.Report), cancellationToken);
}

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The round's effect evaluation as a self-contained HTML report", Tag = "Evaluation", ResponseMediaType = "text/html")]
public sealed class GetEvaluationPage(RequestGate gate, EvaluateRoundHandler handler)
{
    [Function(nameof(GetEvaluationPage))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation.html")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetEvaluationPage>(request, async (_, ct) => (await handler.HandleAsync(roundId, ct)).Respond(EvaluationResponses.Page), cancellationToken);
}

/// <summary>A zip: units.csv, respondents.csv, datapackage.json, design.json, analysis-plan.json, consort.json, the lottery protocol and replicate.py. Pseudonymous ids only.</summary>
[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("Download the evaluator export of a round (zip; re-run with grants evaluate)", Tag = "Evaluation", ResponseMediaType = "application/zip")]
public sealed class GetEvaluationExport(RequestGate gate, EvaluateRoundHandler handler)
{
    [Function(nameof(GetEvaluationExport))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation/export")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetEvaluationExport>(request, async (_, ct) => (await handler.HandleAsync(roundId, ct)).Respond(export => EvaluationResponses.Zip(export, roundId)), cancellationToken);
}

/// <summary>Builds a round's evaluation (its export and report) once the round has a published draw.</summary>
public sealed class EvaluateRoundHandler(RoundStore rounds, EvaluationExport export, GetPowerPlanHandler power)
{
    public async Task<Result<RoundExport>> HandleAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } round)
        {
            return RoundStore.NotFound(roundId);
        }

        try
        {
            return await export.BuildAsync(roundId, cancellationToken) is { } built
                ? built
                : new Failure(ProblemKind.InvalidTransition, $"Round {roundId} is {round.State.Status}: there is no published draw to evaluate yet.");
        }
        catch (Grants.Evaluation.Dataset.DatasetException e)
        {
            var detail = $"Round {roundId} cannot be evaluated: {string.Join("; ", e.Problems)}";
            // A method that randomised no one: say what another would have randomised in this very pool, and with what power.
            if (round.State.Configuration.Allocation.Method != Domain.Allocation.AllocationMethod.Lottery
                && round.State.PoolHash is not null
                && (await power.HandleAsync(roundId, PowerPlanQuery.Defaults, cancellationToken)).Value is { } plan)
            {
                return new Failure(ProblemKind.InvalidTransition, $"{detail} {WhatItWouldTake(plan)}", new Dictionary<string, object?> { ["methods"] = plan.Methods });
            }

            return new Failure(ProblemKind.InvalidTransition, detail);
        }
    }

    /// <summary>Each method that would randomise part of this pool, with the effect its drawn group could detect under the default assumptions.</summary>
    private static string WhatItWouldTake(Grants.Contracts.Evaluation.PowerPlanResponse plan)
    {
        var randomising = plan.Methods.Where(m => m is { Randomised: > 0, MinimumDetectableEffect: not null }).ToList();
        if (randomising.Count == 0)
        {
            return "In this pool no method would randomise anyone (GET …/evaluation/power).";
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"In this pool of {plan.PoolSize} (α {plan.Alpha}, power {plan.Power}, baseline {plan.Baseline:0%}, {(plan.ResponseRate == 1 ? "everyone responding" : $"{plan.ResponseRate:0%} responding")}; GET …/evaluation/power): ")
            + string.Join("; ", randomising.Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{m.Method} would randomise {m.Randomised} ({m.Winners} funded, {m.Losers} not), {(m.MinimumDetectableEffect < 1 ? $"detecting a difference of {m.MinimumDetectableEffect:0.00} in a proportion" : "too few to detect any difference in a proportion")}")))
            + ".";
    }
}

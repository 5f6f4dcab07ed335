using System.Globalization;
using Grants.Contracts.Evaluation;
using Grants.Evaluation.Planning;
using Grants.Evaluation.Reporting;
using Grants.Functions.Platform.Http;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Evaluation;

/// <summary>The evaluation as ministry staff reach it over HTTP.</summary>
public sealed class EvaluationHandlers(RoundStore rounds, PoolFreezing pools, EvaluationExport export)
{
    public async Task<IResult> ReportAsync(string roundId, CancellationToken cancellationToken) =>
        await ExportOrProblemAsync(roundId, cancellationToken) is { } built
            ? built.Export is { } e ? TypedResults.Text(ReportJson.Serialize(e.Report), "application/json", System.Text.Encoding.UTF8) : built.Problem!
            : ResultResponses.Problem(RoundStore.NotFound(roundId));

    public async Task<IResult> ReportPageAsync(string roundId, CancellationToken cancellationToken) =>
        await ExportOrProblemAsync(roundId, cancellationToken) is { } built
            ? built.Export is { } e ? new HtmlPage(HtmlReport.Render(e.Report)) : built.Problem!
            : ResultResponses.Problem(RoundStore.NotFound(roundId));

    public async Task<IResult> ExportAsync(string roundId, CancellationToken cancellationToken) =>
        await ExportOrProblemAsync(roundId, cancellationToken) is { } built
            ? built.Export is { } e ? TypedResults.File(EvaluationExport.Zip(e), "application/zip", $"evaluation-{roundId}.zip") : built.Problem!
            : ResultResponses.Problem(RoundStore.NotFound(roundId));

    /// <returns>Null when the round does not exist; a problem when it has no published draw yet.</returns>
    private async Task<(RoundExport? Export, IResult? Problem)?> ExportOrProblemAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } round)
        {
            return null;
        }

        try
        {
            return await export.BuildAsync(roundId, cancellationToken) is { } built
                ? (built, null)
                : (null, Problems.Of(ProblemKind.InvalidTransition, $"Round {roundId} is {round.State.Status}: there is no published draw to evaluate yet."));
        }
        catch (Grants.Evaluation.Dataset.DatasetException e)
        {
            return (null, Problems.Of(ProblemKind.InvalidTransition, $"Round {roundId} cannot be evaluated: {string.Join("; ", e.Problems)}"));
        }
    }

    public async Task<IResult> PowerAsync(string roundId, IQueryCollection query, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        double Number(string name, double fallback, Func<double, bool> allowed, string rule)
        {
            if (!query.ContainsKey(name))
            {
                return fallback;
            }

            if (double.TryParse(query[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && allowed(value))
            {
                return value;
            }

            errors[name] = [rule];
            return fallback;
        }

        long? Whole(string name, long min)
        {
            if (!query.ContainsKey(name))
            {
                return null;
            }

            if (long.TryParse(query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= int.MaxValue)
            {
                return value;
            }

            errors[name] = [$"must be a whole number of at least {min}"];
            return null;
        }

        var baseline = Number("baseline", 0.5, v => v is >= 0 and <= 1, "must be a share from 0 to 1");
        var responseRate = Number("responseRate", 1, v => v is > 0 and <= 1, "must be a share above 0, at most 1");
        var alpha = Number("alpha", 0.05, v => v is > 0 and < 0.5, "must lie strictly between 0 and 0.5");
        var power = Number("power", 0.8, v => v is > 0.5 and < 1, "must lie strictly between 0.5 and 1");
        var poolSize = Whole("poolSize", 0);
        var meanAmount = Whole("meanAmountCents", 1);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await rounds.FindAsync(roundId, cancellationToken) is not { } round)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var source = "planned";
        if (poolSize is null || meanAmount is null)
        {
            if (round.State.PoolHash is null)
            {
                return Problems.Validation(
                    new Dictionary<string, string[]> { [poolSize is null ? "poolSize" : "meanAmountCents"] = ["is needed until the round's pool is frozen"] },
                    "Give the expected pool size and mean requested amount, or ask again once the pool is frozen.");
            }

            var pool = await pools.ReadPoolAsync(round.State, cancellationToken);
            poolSize ??= pool.Entries.Count;
            meanAmount ??= pool.Entries.Count == 0 ? 1 : (long)Math.Round(pool.Entries.Average(e => e.Amount));
            source = "frozen pool";
        }

        var budget = round.State.Configuration.BudgetCeilingCents;
        var plan = Power.Plan((int)poolSize.Value, budget, meanAmount.Value, baseline, responseRate, alpha, power);
        return TypedResults.Ok(new PowerPlanResponse(roundId, source, (int)poolSize.Value, budget, meanAmount.Value, plan.Winners, plan.Losers,
            plan.RespondingWinners, plan.RespondingLosers, baseline, responseRate, alpha, power, plan.Mde, plan.Method));
    }
}

using System.Globalization;
using Grants.Contracts.Evaluation;
using Grants.Domain.Allocation;
using Grants.Evaluation.Planning;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Evaluation;

/// <summary>
/// Query: <c>baseline</c> (expected share of losers whose project goes ahead anyway, default 0.5, the
/// most cautious), <c>responseRate</c> (expected follow-up response, default 1), <c>alpha</c> (0.05),
/// <c>power</c> (0.8); and, before the pool is frozen, <c>poolSize</c> and <c>meanAmountCents</c>. For comparing the
/// allocation methods: <c>drawnDayShare</c> (the share of the pool arriving on the day the budget runs out, default 1) and
/// <c>bandSize</c> (a band of partial randomisation around the funding line, where the round has none).
/// </summary>
[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("Power and minimum detectable effect of a round's evaluation, usable before the draw, and what each allocation method would randomise and let it detect", Tag = "Evaluation", Response = typeof(PowerPlanResponse), Query = "baseline,responseRate,alpha,power,poolSize,meanAmountCents,drawnDayShare,bandSize")]
public sealed class GetPowerPlan(RequestGate gate, GetPowerPlanHandler handler)
{
    [Function(nameof(GetPowerPlan))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/evaluation/power")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetPowerPlan>(request, async (_, ct) =>
        {
            var query = PowerPlanQuery.Read(request.Query);
            return query.Failure is { } invalid ? ResultResponses.Problem(invalid) : (await handler.HandleAsync(roundId, query.Value!, ct)).Ok(plan => plan);
        }, cancellationToken);
}

/// <summary>What the power calculation assumes; the pool's size and mean request come from the frozen pool when not given.</summary>
public sealed record PowerPlanQuery(double Baseline, double ResponseRate, double Alpha, double Power, long? PoolSize, long? MeanAmountCents, double DrawnDayShare = 1, long? BandSize = null)
{
    /// <summary>The calculation with every assumption at its default: a 50% baseline, everyone responding, α 0.05, power 0.8, the frozen pool.</summary>
    public static PowerPlanQuery Defaults { get; } = new(0.5, 1, 0.05, 0.8, null, null);

    /// <summary>The query string's values, or every one that is not a number of its allowed range.</summary>
    public static Result<PowerPlanQuery> Read(IQueryCollection query)
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

        var read = new PowerPlanQuery(
            Number("baseline", 0.5, v => v is >= 0 and <= 1, "must be a share from 0 to 1"),
            Number("responseRate", 1, v => v is > 0 and <= 1, "must be a share above 0, at most 1"),
            Number("alpha", 0.05, v => v is > 0 and < 0.5, "must lie strictly between 0 and 0.5"),
            Number("power", 0.8, v => v is > 0.5 and < 1, "must lie strictly between 0.5 and 1"),
            Whole("poolSize", 0),
            Whole("meanAmountCents", 1),
            Number("drawnDayShare", 1, v => v is > 0 and <= 1, "must be a share above 0, at most 1"),
            Whole("bandSize", 2));
        return errors.Count > 0 ? Failure.Invalid(errors) : read;
    }
}

/// <summary>The minimum detectable effect of a round's evaluation, from its budget and its planned or frozen pool.</summary>
public sealed class GetPowerPlanHandler(RoundStore rounds, PoolStore pools)
{
    public async Task<Result<PowerPlanResponse>> HandleAsync(string roundId, PowerPlanQuery query, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } round)
        {
            return RoundStore.NotFound(roundId);
        }

        var (poolSize, meanAmount, source) = (query.PoolSize, query.MeanAmountCents, "planned");
        var budget = round.State.Configuration.BudgetCeilingCents;
        IReadOnlyList<MethodExperiment>? experiments = null;
        if (poolSize is null || meanAmount is null)
        {
            if (round.State.PoolHash is null)
            {
                return Failure.Invalid(
                    new Dictionary<string, string[]> { [poolSize is null ? "poolSize" : "meanAmountCents"] = ["is needed until the round's pool is frozen"] },
                    "Give the expected pool size and mean requested amount, or ask again once the pool is frozen.");
            }

            var pool = await pools.ReadAsync(round.State, cancellationToken);
            poolSize ??= pool.Entries.Count;
            meanAmount ??= pool.Entries.Count == 0 ? 1 : (long)Math.Round(pool.Entries.Average(e => e.Amount));
            source = "frozen pool";
            experiments = MethodComparison.OfPool(pool.Entries, budget,
                round.State.Configuration.Allocation.Band ?? (query.BandSize is { } size ? new RandomisationBand(Size: (int)size) : null));
        }

        experiments ??= MethodComparison.Projected((int)poolSize.Value, meanAmount.Value, budget, query.DrawnDayShare, (int?)query.BandSize ?? round.State.Configuration.Allocation.Band?.Size);
        var plan = Power.Plan((int)poolSize.Value, budget, meanAmount.Value, query.Baseline, query.ResponseRate, query.Alpha, query.Power);
        return new PowerPlanResponse(roundId, source, (int)poolSize.Value, budget, meanAmount.Value, plan.Winners, plan.Losers,
            plan.RespondingWinners, plan.RespondingLosers, query.Baseline, query.ResponseRate, query.Alpha, query.Power, plan.Mde, plan.Method,
            [.. experiments.Select(e => MethodPower(e, query))]);
    }

    /// <summary>A method's drawn group planned as a lottery of its own: its money left, its mean request.</summary>
    private static MethodPowerResponse MethodPower(MethodExperiment experiment, PowerPlanQuery query)
    {
        if (experiment.Randomised is not { } randomised)
        {
            return new MethodPowerResponse(experiment.Method, null, null, null, null, experiment.Basis);
        }

        var plan = Power.Plan(randomised, experiment.MoneyForDrawn, experiment.MeanDrawnAmount, query.Baseline, query.ResponseRate, query.Alpha, query.Power);
        return new MethodPowerResponse(experiment.Method, randomised, plan.Winners, plan.Losers, plan.Mde, experiment.Basis);
    }
}

using Grants.Contracts.Monitoring;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Monitoring;

/// <summary><c>?format=json</c> (default), <c>csv</c> or <c>html</c>.</summary>
[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("A scheme's monitoring figures, summed over its rounds", Tag = "Monitoring", Response = typeof(MonitoringResponse), Query = "format")]
public sealed class GetSchemeMonitoring(RequestGate gate, GetSchemeMonitoringHandler handler)
{
    [Function(nameof(GetSchemeMonitoring))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}/monitoring")] HttpRequest request, string schemeId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetSchemeMonitoring>(request, (_, ct) => MonitoringResponses.RenderAsync(request.Query, () => handler.HandleAsync(schemeId, ct)), cancellationToken);
}

/// <summary>A scheme's figures: its rounds', summed, with breakdowns over all their applications.</summary>
public sealed class GetSchemeMonitoringHandler(RoundStore rounds, MonitoringReader reader)
{
    public async Task<Result<MonitoringResponse>> HandleAsync(string schemeId, CancellationToken cancellationToken)
    {
        var roundsOfScheme = await rounds.OfSchemeAsync(schemeId, cancellationToken);
        if (roundsOfScheme.Count == 0)
        {
            return Failure.NotFound($"There is no scheme {schemeId} with rounds.");
        }

        // Each round is read once; its applications serve its own figures and the scheme's breakdowns.
        var parts = new List<MonitoringResponse>();
        var allApplications = new List<Domain.Applications.ApplicationData>();
        foreach (var round in roundsOfScheme.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            var (figures, apps) = await reader.ReadRoundAsync(round.Id, cancellationToken);
            parts.Add(figures);
            allApplications.AddRange(apps);
        }

        var v = parts.Select(p => p.Vouchers).ToList();
        var b = parts.Select(p => p.Budget).ToList();
        var budget = new BudgetFiguresResponse(b.Sum(x => x.CeilingCents), b.Sum(x => x.ReservedCents), b.Sum(x => x.CommittedCents), b.Sum(x => x.PaidCents),
            b.Sum(x => x.ReleasedCents), b.Sum(x => x.AvailableCents), b.Sum(x => x.PaidByRecordsCents), b.All(x => x.Reconciles));
        return new MonitoringResponse("scheme", schemeId, [.. parts.Select(p => p.Id)], MonitoringFigures.Sum(parts.Select(p => p.Funnel)),
            new VoucherFiguresResponse(v.Sum(x => x.Issued), v.Sum(x => x.Claimed), v.Sum(x => x.Redeemed), v.Sum(x => x.Expired), v.Sum(x => x.Returned), v.Sum(x => x.IssuedCents), v.Sum(x => x.PaidCents)),
            budget, MonitoringFigures.Breakdowns(allApplications));
    }
}

using Grants.Contracts.Monitoring;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Monitoring;

/// <summary><c>?format=json</c> (default), <c>csv</c> or <c>html</c>.</summary>
[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("A round's monitoring figures: applications to acceptances, vouchers, budget (reconciled), by sector, theme, size and ownership", Tag = "Monitoring", Response = typeof(MonitoringResponse), Query = "format")]
public sealed class GetRoundMonitoring(RequestGate gate, MonitoringHandlers handlers)
{
    [Function(nameof(GetRoundMonitoring))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/monitoring")] HttpRequest request, string roundId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetRoundMonitoring>(request, (_, ct) => handlers.RoundAsync(roundId, request.Query["format"], ct), cancellationToken);
}

/// <summary><c>?format=json</c> (default), <c>csv</c> or <c>html</c>.</summary>
[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("A scheme's monitoring figures, summed over its rounds", Tag = "Monitoring", Response = typeof(MonitoringResponse), Query = "format")]
public sealed class GetSchemeMonitoring(RequestGate gate, MonitoringHandlers handlers)
{
    [Function(nameof(GetSchemeMonitoring))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}/monitoring")] HttpRequest request, string schemeId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetSchemeMonitoring>(request, (_, ct) => handlers.SchemeAsync(schemeId, request.Query["format"], ct), cancellationToken);
}

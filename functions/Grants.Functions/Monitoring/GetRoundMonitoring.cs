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
[ApiOperation("A round's monitoring figures: applications to acceptances, vouchers, budget (reconciled), by sector, theme, size and ownership", Tag = "Monitoring", Response = typeof(MonitoringResponse), Query = "format")]
public sealed class GetRoundMonitoring(RequestGate gate, GetRoundMonitoringHandler handler)
{
    [Function(nameof(GetRoundMonitoring))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/monitoring")] HttpRequest request, string roundId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetRoundMonitoring>(request, (_, ct) => MonitoringResponses.RenderAsync(request.Query, () => handler.HandleAsync(roundId, ct)), cancellationToken);
}

/// <summary>A round's figures.</summary>
public sealed class GetRoundMonitoringHandler(RoundStore rounds, MonitoringReader reader)
{
    public async Task<Result<MonitoringResponse>> HandleAsync(string roundId, CancellationToken cancellationToken) =>
        await rounds.FindAsync(roundId, cancellationToken) is null
            ? RoundStore.NotFound(roundId)
            : (await reader.ReadRoundAsync(roundId, cancellationToken)).Figures;
}

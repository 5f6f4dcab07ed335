using System.Reflection;
using Grants.Contracts.Health;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Health;

/// <summary>Liveness for operators and load balancers: version, and whether storage answers.</summary>
[AnonymousAllowed]
[ApiOperation("Report version and whether storage answers", Tag = "Platform", Response = typeof(HealthResponse))]
public sealed class GetHealth(RequestGate gate, StorageAccount storage)
{
    private static readonly string Version =
        typeof(GetHealth).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    [Function(nameof(GetHealth))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetHealth>(request, async (_, ct) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await storage.TableAsync(TableNames.Aggregates, timeout.Token);
                return TypedResults.Ok(new HealthResponse("healthy", Version, "reachable"));
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                return TypedResults.Json(new HealthResponse("unhealthy", Version, "unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }, cancellationToken);
}

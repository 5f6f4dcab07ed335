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
    /// <summary>The key the point read asks for; no row has it.</summary>
    private const string Probe = "health-probe";

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
                // The table is created once per process, so having its client says nothing about storage now: a point read does.
                var table = await storage.TableAsync(TableNames.Aggregates, timeout.Token);
                await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(Probe, Probe, select: ["PartitionKey"], cancellationToken: timeout.Token);
                return TypedResults.Ok(new HealthResponse("healthy", Version, "reachable"));
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // As the document says of every operation when storage cannot be reached.
                return Problems.Of(ProblemKind.StorageUnavailable);
            }
        }, cancellationToken);
}

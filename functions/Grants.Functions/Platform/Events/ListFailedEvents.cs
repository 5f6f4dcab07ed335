using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Events;

/// <summary>An event whose subscribers failed after every retry: what operators need to find the cause and the aggregate.</summary>
public sealed record FailedEventResponse(string AggregateId, string Name, string? Detail, string Actor, int Attempts, string? LastError, DateTimeOffset? CreatedAt);

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("List events whose follow-up work failed after every retry (the events' dead letters)", Tag = "Operations", Response = typeof(IReadOnlyList<FailedEventResponse>))]
public sealed class ListFailedEvents(RequestGate gate, EventDispatcher dispatcher)
{
    [Function(nameof(ListFailedEvents))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operations/events/failed")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListFailedEvents>(request, async (_, ct) => TypedResults.Ok((await dispatcher.FailedAsync(ct))
            .Select(row => new FailedEventResponse(row.PartitionKey, row.GetString("Name") ?? "", row.GetString("Detail"), row.GetString("Actor") ?? "",
                row.GetInt32("Attempts") ?? 0, row.GetString("LastError"), row.GetDateTimeOffset("CreatedAt")))
            .ToList()), cancellationToken);
}

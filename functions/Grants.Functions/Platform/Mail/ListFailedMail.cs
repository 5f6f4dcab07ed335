using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.Mail;

/// <summary>A mail that could not be delivered after every retry: what operators need to fix and requeue it.</summary>
public sealed record FailedMailResponse(string MessageId, string AggregateId, string To, string Subject, int Attempts, string? LastError, DateTimeOffset? CreatedAt);

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("List mail that failed after every retry (the outbox's dead letters)", Tag = "Operations", Response = typeof(IReadOnlyList<FailedMailResponse>))]
public sealed class ListFailedMail(RequestGate gate, OutboxRelay relay)
{
    [Function(nameof(ListFailedMail))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operations/outbox/failed")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListFailedMail>(request, async (_, ct) => TypedResults.Ok((await relay.FailedAsync(ct))
            .Select(row => new FailedMailResponse(row.GetString("MessageId") ?? "", row.PartitionKey, row.GetString("To") ?? "", row.GetString("Subject") ?? "",
                row.GetInt32("Attempts") ?? 0, row.GetString("LastError"), row.GetDateTimeOffset("CreatedAt")))
            .ToList()), cancellationToken);
}

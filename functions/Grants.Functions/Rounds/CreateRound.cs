using Grants.Contracts.Rounds;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Schemes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Rounds;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Create a round (tijdvak) of a scheme, in draft", Tag = "Rounds", Request = typeof(CreateRoundRequest), Response = typeof(RoundResponse), SuccessStatus = 201, ReturnsETag = true)]
public sealed class CreateRound(RequestGate gate, CreateRoundHandler handler)
{
    [Function(nameof(CreateRound))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes/{schemeId}/rounds")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CreateRound, CreateRoundRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(schemeId, body, caller, request.IdempotencyKey(), ct)).Created(RoundResponses.Location, RoundResponses.From), cancellationToken);
}

/// <summary>Creates a round of an active scheme, in draft; under an Idempotency-Key the id follows from the key.</summary>
public sealed class CreateRoundHandler(CommandExecutor commands, RoundStore rounds, SchemeStore schemes)
{
    public async Task<Result<StoredAggregate<RoundData>>> HandleAsync(string schemeId, CreateRoundRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (await schemes.FindAsync(schemeId, cancellationToken) is not { } scheme)
        {
            return SchemeStore.NotFound(schemeId);
        }

        var id = idempotencyKey is null ? RoundStore.NewId() : RoundStore.IdFor(IdempotentRequests.OperationId(caller, idempotencyKey));
        return await commands.CreateAsync(rounds, id, caller.AuditName, () =>
        {
            var round = Round.Create(id, scheme.State, request.Name, RoundConfigurations.ToDomain(request.Configuration));
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(new PendingAuditEvent("RoundCreated", round.Data)),
                new Dictionary<string, string> { ["SchemeId"] = schemeId });
        }, cancellationToken);
    }
}

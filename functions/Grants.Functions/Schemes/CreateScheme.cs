using Grants.Contracts.Schemes;
using Grants.Domain.Schemes;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Schemes;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Create a scheme (regeling) under which rounds are opened", Tag = "Schemes", Request = typeof(CreateSchemeRequest), Response = typeof(SchemeResponse), SuccessStatus = 201, ReturnsETag = true)]
public sealed class CreateScheme(RequestGate gate, CreateSchemeHandler handler)
{
    [Function(nameof(CreateScheme))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "schemes")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CreateScheme, CreateSchemeRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(body, caller, request.IdempotencyKey(), ct)).Created(SchemeResponses.Location, SchemeResponses.From), cancellationToken);
}

/// <summary>Creates a scheme and tells the ministry's mailbox; under an Idempotency-Key the id follows from the key, so a retry finds its own scheme.</summary>
public sealed class CreateSchemeHandler(CommandExecutor commands, SchemeStore schemes, IOptions<MailOptions> mail)
{
    public Task<Result<StoredAggregate<SchemeData>>> HandleAsync(CreateSchemeRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var id = idempotencyKey is null ? SchemeStore.NewId() : SchemeStore.IdFor(IdempotentRequests.OperationId(caller, idempotencyKey));
        return commands.CreateAsync(schemes, id, caller.AuditName, () =>
        {
            var scheme = Scheme.Create(id, request.Name, Enum.Parse<Instrument>(request.Instrument), request.Description ?? "");
            var kind = scheme.Data.Instrument == Instrument.Voucher ? "voucher" : "project subsidy";
            var notice = new OutboxEmail(
                mail.Value.MinistryMailbox,
                $"Scheme created: {scheme.Data.Name}",
                $"The {kind} scheme \"{scheme.Data.Name}\" was created by {caller.Subject}.\nId: {id}\n",
                Notice: true);
            return new Commit<SchemeData>(scheme.Data, scheme.Data.Status.ToString(), Change.Of(new PendingAuditEvent("SchemeCreated", scheme.Data), notice));
        }, cancellationToken);
    }
}

using Grants.Contracts.Organisations;
using Grants.Domain.Organisations;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Organisations;

[RolesAllowed(Roles.Applicant)]
[ApiOperation("Register the organisation your token acts for, by its KvK number", Tag = "Organisations", Request = typeof(RegisterOrganisationRequest), Response = typeof(OrganisationResponse), SuccessStatus = 201)]
public sealed class RegisterOrganisation(RequestGate gate, RegisterOrganisationHandler handler)
{
    [Function(nameof(RegisterOrganisation))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "organisations")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RegisterOrganisation, RegisterOrganisationRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(body, caller, ct)).Created(OrganisationResponses.Location, OrganisationResponses.From), cancellationToken);
}

/// <summary>Registers the caller's organisation; one whose contact people retention erased registers again.</summary>
public sealed class RegisterOrganisationHandler(CommandExecutor commands, OrganisationStore organisations, TimeProvider time)
{
    public async Task<Result<OrganisationData>> HandleAsync(RegisterOrganisationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation != request.Kvk)
        {
            return Failure.Forbidden("You can only register the organisation your login acts for.");
        }

        var organisation = Organisation.Register(request.Kvk, request.LegalName, request.Sector, request.SizeClass, request.IsPublic, request.PreferredLanguage,
            new Representative(caller.Subject, request.ContactName, request.ContactEmail), time.GetUtcNow());
        var id = OrganisationStore.IdFor(organisation.Kvk);
        var created = await commands.CreateAsync(organisations, id, caller.AuditName,
            () => new Commit<OrganisationData>(organisation, "Registered", Change.Of(new PendingAuditEvent("OrganisationRegistered", organisation))), cancellationToken);
        if (created.Failure?.Kind != ProblemKind.AlreadyExists)
        {
            return created.Select(stored => stored.State);
        }

        // Retention erased its contact people (docs/decisions/0008): registering again brings them back.
        var again = await commands.ChangeAsync(organisations, id, ifMatch: null, caller.AuditName, stored =>
            stored.State.PersonalDataErasedAt is null
                ? Failure.AlreadyExists($"Organisation {organisation.Kvk} is already registered.")
                : new Commit<OrganisationData>(Organisation.RegisterAgain(stored.State, organisation), stored.Status, Change.Of(new PendingAuditEvent("OrganisationRegisteredAgain", organisation))),
            cancellationToken);
        return again.Select(stored => stored.State);
    }
}

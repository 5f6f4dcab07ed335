using Grants.Contracts.Organisations;
using Grants.Domain.Organisations;
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
        gate.RunAsync<RegisterOrganisation, RegisterOrganisationRequest>(request, (caller, body, ct) => handler.HandleAsync(body, caller, ct), cancellationToken);
}

public sealed class RegisterOrganisationHandler(AggregateStore store, OrganisationStore organisations, TimeProvider time)
{
    public async Task<IResult> HandleAsync(RegisterOrganisationRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Organisation != request.Kvk)
        {
            return Problems.Of(ProblemKind.Forbidden, "You can only register the organisation your login acts for.");
        }

        var organisation = Organisation.Register(request.Kvk, request.LegalName, request.Sector, request.SizeClass, request.IsPublic, request.PreferredLanguage,
            new Representative(caller.Subject, request.ContactName, request.ContactEmail), time.GetUtcNow());
        try
        {
            await store.CreateAsync(OrganisationStore.AggregateType, OrganisationStore.IdFor(organisation.Kvk), "Registered", organisation, caller.AuditName,
                Change.Of(new PendingAuditEvent("OrganisationRegistered", organisation)), cancellationToken);
        }
        catch (AggregateExistsException)
        {
            // Retention erased its contact people (docs/decisions/0008): registering again brings them back.
            if (await organisations.FindAsync(organisation.Kvk, cancellationToken) is not { State.PersonalDataErasedAt: not null } erased)
            {
                return Problems.Of(ProblemKind.AlreadyExists, $"Organisation {organisation.Kvk} is already registered.");
            }

            await store.UpdateAsync(erased, erased.Status, Organisation.RegisterAgain(erased.State, organisation), caller.AuditName,
                Change.Of(new PendingAuditEvent("OrganisationRegisteredAgain", organisation)), cancellationToken);
        }

        return TypedResults.Created($"/api/organisations/{organisation.Kvk}", OrganisationStore.ToResponse(organisation));
    }
}

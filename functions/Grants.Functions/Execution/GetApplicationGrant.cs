using Grants.Contracts.Execution;
using Grants.Domain.Execution;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Execution;

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Auditor)]
[ApiOperation("The grant of an accepted project subsidy: advances, reports and settlement", Tag = "Execution", Response = typeof(GrantResponse), ReturnsETag = true)]
public sealed class GetApplicationGrant(RequestGate gate, GetApplicationGrantHandler handler)
{
    [Function(nameof(GetApplicationGrant))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}/grant")] HttpRequest request, string applicationId, CancellationToken cancellationToken) =>
        gate.RunAsync<GetApplicationGrant>(request, async (caller, ct) => (await handler.HandleAsync(applicationId, caller, ct)).Ok(GrantResponses.From), cancellationToken);
}

/// <summary>The grant of an application the caller may see (auditors see every one); one it may not see does not exist for it.</summary>
public sealed class GetApplicationGrantHandler(ApplicationAccess applications, GrantStore grants)
{
    public async Task<Result<StoredAggregate<GrantData>>> HandleAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        return await applications.FindForReaderAsync(applicationId, caller, cancellationToken) is not null
            && await grants.OfApplicationAsync(applicationId, cancellationToken) is { } grant
                ? grant
                : Failure.NotFound($"No grant for application {applicationId}.");
    }
}

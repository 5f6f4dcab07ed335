using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Applications;

[RolesAllowed(Roles.Applicant, Roles.Ministry, Roles.Assessor)]
[ApiOperation("Read an application: your own; as an assessor, one assigned to you without conflict; any for the ministry", Tag = "Applications", Response = typeof(ApplicationResponse), ReturnsETag = true)]
public sealed class GetApplication(RequestGate gate, GetApplicationHandler handler)
{
    [Function(nameof(GetApplication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{applicationId}")] HttpRequest request,
        string applicationId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetApplication>(request, async (caller, ct) => (await handler.HandleAsync(applicationId, caller, ct))
            .Respond(read => TypedResults.Ok(ApplicationResponses.From(read.Stored, read.Standing)).WithETag(read.Stored.ETag)), cancellationToken);
}

/// <summary>An application as its reader sees it, with its standing in the draw as the round's current protocol states it.</summary>
public sealed record ApplicationRead(StoredAggregate<ApplicationData> Stored, DrawOutcome? Standing);

/// <summary>Reads an application the caller may see; one it may not see does not exist for it.</summary>
public sealed class GetApplicationHandler(ApplicationStore applications, ApplicationAccess access, IDrawStandings standings)
{
    public async Task<Result<ApplicationRead>> HandleAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await access.FindVisibleAsync(applicationId, caller, cancellationToken) is not { } stored)
        {
            return Failure.NotFound(applications.NotFoundDetail(applicationId));
        }

        return new ApplicationRead(stored, await standings.CurrentAsync(stored.State, cancellationToken));
    }
}

/// <summary>An applicant's standing in the draw as the round's current protocol states it; the lottery answers.</summary>
public interface IDrawStandings
{
    Task<DrawOutcome?> CurrentAsync(ApplicationData application, CancellationToken cancellationToken);
}

using Grants.Domain.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Applications;

/// <summary>
/// Who may see or act on an application: the ministry any, the applicant organisation its own, an assessor one
/// assigned to them without a conflict of interest (which the assessment committee knows, <see cref="IAssessorAccess"/>),
/// an auditor the records that hang off one. A caller who may not see an application is told there is none.
/// </summary>
public sealed class ApplicationAccess(ApplicationStore applications, IAssessorAccess assessors)
{
    public static bool MaySee(Caller caller, ApplicationData application) =>
        caller.HasRole(Roles.Ministry) || IsOwner(caller, application);

    public static bool IsOwner(Caller caller, ApplicationData application) =>
        caller.HasRole(Roles.Applicant) && caller.Organisation == application.Applicant.Kvk;

    /// <summary>
    /// The applications of the caller's own organisation, for the applicant's commands: any other is not found,
    /// before its ETag is compared or anything else about it is revealed.
    /// </summary>
    public IAggregates<ApplicationData> OwnedBy(Caller caller) => new Owned(applications, caller);

    /// <summary>The application, if this caller may see it: the ministry, the applicant organisation itself, or an assessor assigned to it without a conflict.</summary>
    public async Task<StoredAggregate<ApplicationData>?> FindVisibleAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        await applications.FindAsync(id, cancellationToken) is { } stored
        && (MaySee(caller, stored.State) || await assessors.MayAssessAsync(caller, stored.State, cancellationToken))
            ? stored
            : null;

    /// <summary>The application, when the caller may see it (<see cref="MaySee"/>) or audits the programme; otherwise null, as if there were none.</summary>
    public async Task<StoredAggregate<ApplicationData>?> FindForReaderAsync(string id, Caller caller, CancellationToken cancellationToken) =>
        await applications.FindAsync(id, cancellationToken) is { } application && (MaySee(caller, application.State) || caller.HasRole(Roles.Auditor)) ? application : null;

    private sealed class Owned(ApplicationStore applications, Caller caller) : IAggregates<ApplicationData>
    {
        public string Type => applications.Type;

        public string NotFoundDetail(string id) => applications.NotFoundDetail(id);

        public async Task<StoredAggregate<ApplicationData>?> FindAsync(string id, CancellationToken cancellationToken) =>
            await applications.FindAsync(id, cancellationToken) is { } stored && IsOwner(caller, stored.State) ? stored : null;
    }
}

/// <summary>Whether an assessor may read an application: assigned to it, with no declared conflict. The assessment committee answers.</summary>
public interface IAssessorAccess
{
    Task<bool> MayAssessAsync(Caller caller, ApplicationData application, CancellationToken cancellationToken);
}

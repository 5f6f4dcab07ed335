using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Decisions;

/// <summary>
/// Who answers a decision: only the applicant organisation itself accepts or declines its award and objects
/// to its rejection. To anyone else the application does not exist, as when reading it.
/// </summary>
public sealed class DecisionAccess(ApplicationStore applications)
{
    /// <summary>The applications the caller's organisation submitted, as the executor loads them: any other is not found.</summary>
    public IAggregates<ApplicationData> OwnedBy(Caller caller) => new Owned(applications, caller);

    private sealed class Owned(ApplicationStore applications, Caller caller) : IAggregates<ApplicationData>
    {
        public string Type => applications.Type;

        public async Task<StoredAggregate<ApplicationData>?> FindAsync(string id, CancellationToken cancellationToken) =>
            await applications.FindAsync(id, cancellationToken) is { } stored && ApplicationStore.IsOwner(caller, stored.State) ? stored : null;

        public string NotFoundDetail(string id) => applications.NotFoundDetail(id);
    }
}

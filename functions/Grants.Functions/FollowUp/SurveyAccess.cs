using Grants.Domain.Applications;
using Grants.Domain.FollowUp;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.FollowUp;

/// <summary>
/// Who may see or act on an application's follow-up: the ministry, and the applicant organisation for its own
/// (<see cref="ApplicationAccess.MaySee"/>). Anyone else is told there is no such application or survey.
/// </summary>
public sealed class SurveyAccess(ApplicationStore applications, SurveyStore surveys)
{
    /// <summary>The applications whose follow-up the caller may see.</summary>
    public IAggregates<ApplicationData> Applications(Caller caller) => new VisibleApplications(applications, caller);

    /// <summary>The surveys of applications the caller may see.</summary>
    public IAggregates<SurveyData> Surveys(Caller caller) => new VisibleSurveys(applications, surveys, caller);

    private sealed class VisibleApplications(ApplicationStore applications, Caller caller) : IAggregates<ApplicationData>
    {
        public string Type => applications.Type;

        public string NotFoundDetail(string id) => $"No application {id}.";

        public async Task<StoredAggregate<ApplicationData>?> FindAsync(string id, CancellationToken cancellationToken) =>
            await applications.FindAsync(id, cancellationToken) is { } stored && ApplicationAccess.MaySee(caller, stored.State) ? stored : null;
    }

    private sealed class VisibleSurveys(ApplicationStore applications, SurveyStore surveys, Caller caller) : IAggregates<SurveyData>
    {
        public string Type => surveys.Type;

        public string NotFoundDetail(string id) => surveys.NotFoundDetail(id);

        public async Task<StoredAggregate<SurveyData>?> FindAsync(string id, CancellationToken cancellationToken) =>
            await surveys.FindAsync(id, cancellationToken) is { } stored
            && await applications.FindAsync(stored.State.ApplicationId, cancellationToken) is { } application
            && ApplicationAccess.MaySee(caller, application.State)
                ? stored
                : null;
    }
}

using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Assessments;

/// <summary>An assessment as a caller may see it, with its committee: whose criteria score it, and whose chair sees all of it.</summary>
public sealed record AssessmentView(StoredAggregate<AssessmentData> Assessment, CommitteeData Committee);

/// <summary>
/// Who may see an assessment, and through it the application: the ministry every one; the chair and the
/// assigned members only those they are not conflicted on. Any other does not exist for the caller, and a
/// conflict declared later closes it again.
/// </summary>
public sealed class AssessmentAccess(CommandExecutor commands, AssessmentStore assessments, CommitteeStore committees) : Applications.IAssessorAccess
{
    /// <summary>
    /// A command on an assessment the caller may see, acting with its committee in view (criteria, chair, conflicts);
    /// one the caller may not see is not found, before anything about it is revealed.
    /// </summary>
    public async Task<Result<AssessmentView>> ChangeVisibleAsync(
        string assessmentId, Caller caller, Func<StoredAggregate<AssessmentData>, CommitteeData, Result<Commit<AssessmentData>>> act, CancellationToken cancellationToken)
    {
        var visible = await VisibleAsync(assessmentId, caller, cancellationToken);
        if (visible.Value is not { } seen)
        {
            return visible;
        }

        var changed = await commands.ChangeAsync(assessments, assessmentId, ifMatch: null, caller.AuditName, stored => act(stored, seen.Committee), cancellationToken);
        return changed.Select(saved => seen with { Assessment = saved });
    }

    public async Task<Result<AssessmentView>> VisibleAsync(string assessmentId, Caller caller, CancellationToken cancellationToken)
    {
        if (await assessments.FindAsync(assessmentId, cancellationToken) is not { } stored
            || await committees.OfRoundAsync(stored.State.RoundId, cancellationToken) is not { } committee
            || !MaySee(caller, stored.State, committee.State))
        {
            return Failure.NotFound(assessments.NotFoundDetail(assessmentId));
        }

        return new AssessmentView(stored, committee.State);
    }

    /// <summary>May this assessor open the application (and its files)? Only when assigned to its assessment and not conflicted.</summary>
    public async Task<bool> MayAssessAsync(Caller caller, ApplicationData application, CancellationToken cancellationToken)
    {
        if (!caller.HasRole(Roles.Assessor)
            || await assessments.FindAsync(Assessment.IdFor(application.Id), cancellationToken) is not { } assessment
            || !assessment.State.Members.Contains(caller.Subject))
        {
            return false;
        }

        return await committees.OfRoundAsync(application.RoundId, cancellationToken) is { } committee
            && !committee.State.IsConflicted(caller.Subject, application.Id, application.Applicant.Kvk);
    }

    private static bool MaySee(Caller caller, AssessmentData assessment, CommitteeData committee) =>
        caller.HasRole(Roles.Ministry)
        || (caller.HasRole(Roles.Assessor) && (assessment.Members.Contains(caller.Subject) || committee.Chair == caller.Subject)
            && !committee.IsConflicted(caller.Subject, assessment.ApplicationId, assessment.OrganisationKvk));
}

using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Assessments;

/// <summary>The committee's answer to whether an assessor may read an application: assigned to it, without a declared conflict.</summary>
public sealed class AssessorApplicationAccess(AssessmentStores assessments) : IAssessorAccess
{
    public Task<bool> MayAssessAsync(Caller caller, ApplicationData application, CancellationToken cancellationToken) =>
        assessments.MayAssessAsync(caller, application, cancellationToken);
}

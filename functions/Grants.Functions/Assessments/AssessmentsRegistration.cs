using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Assessments;

/// <summary>The Assessments feature's services; its functions are found by the Functions host.</summary>
public static class AssessmentsRegistration
{
    public static IServiceCollection AddAssessments(this IServiceCollection services) => services
        .AddSingleton<AssessmentStore>()
        .AddSingleton<CommitteeStore>()
        .AddSingleton<Platform.Storage.IIndexRepair>(sp => sp.GetRequiredService<CommitteeStore>())
        .AddSingleton<AssessmentAccess>()
        .AddSingleton<Applications.IAssessorAccess>(sp => sp.GetRequiredService<AssessmentAccess>())
        .AddSingleton<AssessmentAssignment>()
        .AddSingleton<SetCommitteeHandler>()
        .AddSingleton<DeclareConflictHandler>()
        .AddSingleton<AssignAssessmentsHandler>()
        .AddSingleton<Platform.Work.IBatchWork, AssessmentAssignmentWork>()
        .AddSingleton<ListMyAssessmentsHandler>()
        .AddSingleton<SubmitScoresHandler>()
        .AddSingleton<CorrectScoresHandler>()
        .AddSingleton<RecordAdviceHandler>()
        .AddSingleton<ReassignAssessmentHandler>();
}

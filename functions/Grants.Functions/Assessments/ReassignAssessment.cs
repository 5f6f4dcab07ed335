using Grants.Contracts.Assessments;
using Grants.Domain.Assessments;
using Grants.Domain.Common;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Move an assessment from one member to another, with a reason", Tag = "Assessment", Request = typeof(ReassignRequest), Response = typeof(AssessmentResponse), ReturnsETag = true)]
public sealed class ReassignAssessment(RequestGate gate, ReassignAssessmentHandler handler)
{
    [Function(nameof(ReassignAssessment))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/reassign")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ReassignAssessment, ReassignRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(assessmentId, body, caller, ct)).Respond(view => TypedResults.Ok(AssessmentResponses.From(view, caller)).WithETag(view.Assessment.ETag)), cancellationToken);
}

/// <summary>The ministry moves an assessment to another member, who must be on the committee and free of conflicts on the application.</summary>
public sealed class ReassignAssessmentHandler(AssessmentAccess access, TimeProvider time)
{
    public Task<Result<AssessmentView>> HandleAsync(string assessmentId, ReassignRequest request, Caller caller, CancellationToken cancellationToken) =>
        access.ChangeVisibleAsync(assessmentId, caller, (stored, committee) =>
        {
            var assessment = new Assessment(stored.State);
            assessment.Reassign(committee, request.From, request.To, request.Reason, time.GetUtcNow());
            return AssessmentStore.Commit(assessment, new PendingAuditEvent("AssessmentReassigned", assessment.Data.Reassignments[^1]));
        }, cancellationToken);
}

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
public sealed class ReassignAssessmentHandler(AssessmentAccess access, AssessmentStore assessments, TimeProvider time)
{
    public async Task<Result<AssessmentView>> HandleAsync(string assessmentId, ReassignRequest request, Caller caller, CancellationToken cancellationToken)
    {
        // How many of the round's assessments the new member holds, for the committee's cap; read before the change, so a
        // reassignment to the same member at the same moment may pass the cap by one.
        var holds = await assessments.FindAsync(assessmentId, cancellationToken) is { } found
            ? AssessmentAssignment.Load(await assessments.OfRoundAsync(found.State.RoundId, cancellationToken)).GetValueOrDefault(request.To)
            : 0;
        return await access.ChangeVisibleAsync(assessmentId, caller, (stored, committee) =>
        {
            var assessment = new Assessment(stored.State);
            assessment.Reassign(committee, request.From, request.To, request.Reason, time.GetUtcNow(), holds);
            return AssessmentStore.Commit(assessment, new PendingAuditEvent("AssessmentReassigned", assessment.Data.Reassignments[^1]));
        }, cancellationToken);
    }
}

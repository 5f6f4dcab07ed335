using Grants.Contracts.Assessments;
using Grants.Domain.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Assessor)]
[ApiOperation("The chair records the committee's advice once every member has scored", Tag = "Assessment", Request = typeof(AdviceRequest), Response = typeof(AssessmentResponse))]
public sealed class RecordAdvice(RequestGate gate, RecordAdviceHandler handler)
{
    [Function(nameof(RecordAdvice))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/advice")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RecordAdvice, AdviceRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(assessmentId, body, caller, ct)).Respond(view => TypedResults.Ok(AssessmentResponses.From(view, caller)).WithETag(view.Assessment.ETag)), cancellationToken);
}

/// <summary>The committee's advice on an application, recorded by its chair alone.</summary>
public sealed class RecordAdviceHandler(AssessmentAccess access, TimeProvider time)
{
    public Task<Result<AssessmentView>> HandleAsync(string assessmentId, AdviceRequest request, Caller caller, CancellationToken cancellationToken) =>
        access.ChangeVisibleAsync(assessmentId, caller, (stored, committee) =>
        {
            var assessment = new Assessment(stored.State);
            assessment.RecordAdvice(committee, caller.Subject, request.Positive, request.Note, time.GetUtcNow());
            return AssessmentStore.Commit(assessment, new PendingAuditEvent("AdviceRecorded", assessment.Data.Advice));
        }, cancellationToken);
}

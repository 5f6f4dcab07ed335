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
[ApiOperation("Correct one of your score sheets: a new sheet linked to the one it corrects", Tag = "Assessment", Request = typeof(SubmitScoresRequest), Response = typeof(AssessmentResponse))]
public sealed class CorrectScores(RequestGate gate, CorrectScoresHandler handler)
{
    [Function(nameof(CorrectScores))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/scores/{sheetId}/corrections")] HttpRequest request,
        string assessmentId,
        string sheetId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<CorrectScores, SubmitScoresRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(assessmentId, sheetId, body, caller, ct)).Respond(view => TypedResults.Ok(AssessmentResponses.From(view, caller)).WithETag(view.Assessment.ETag)), cancellationToken);
}

/// <summary>A member corrects their own score sheet: the correction is a new sheet that names the one it replaces.</summary>
public sealed class CorrectScoresHandler(AssessmentAccess access, TimeProvider time)
{
    public Task<Result<AssessmentView>> HandleAsync(string assessmentId, string sheetId, SubmitScoresRequest request, Caller caller, CancellationToken cancellationToken) =>
        access.ChangeVisibleAsync(assessmentId, caller, (stored, committee) =>
        {
            var assessment = new Assessment(stored.State);
            var sheet = assessment.Correct(committee, caller.Subject, sheetId, SubmitScoresHandler.Scores(request), time.GetUtcNow());
            return AssessmentStore.Commit(assessment, new PendingAuditEvent("ScoresCorrected", sheet));
        }, cancellationToken);
}

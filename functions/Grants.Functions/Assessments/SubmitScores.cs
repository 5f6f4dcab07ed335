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
[ApiOperation("Submit your scores, each with a written justification; they cannot be changed afterwards", Tag = "Assessment", Request = typeof(SubmitScoresRequest), Response = typeof(AssessmentResponse))]
public sealed class SubmitScores(RequestGate gate, SubmitScoresHandler handler)
{
    [Function(nameof(SubmitScores))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "assessments/{assessmentId}/scores")] HttpRequest request,
        string assessmentId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<SubmitScores, SubmitScoresRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(assessmentId, body, caller, ct)).Respond(view => TypedResults.Ok(AssessmentResponses.From(view, caller)).WithETag(view.Assessment.ETag)), cancellationToken);
}

/// <summary>A member scores an assessment they may see, on the committee's criteria.</summary>
public sealed class SubmitScoresHandler(AssessmentAccess access, TimeProvider time)
{
    public Task<Result<AssessmentView>> HandleAsync(string assessmentId, SubmitScoresRequest request, Caller caller, CancellationToken cancellationToken) =>
        access.ChangeVisibleAsync(assessmentId, caller, (stored, committee) =>
        {
            var assessment = new Assessment(stored.State);
            var sheet = assessment.SubmitScores(committee, caller.Subject, Scores(request), time.GetUtcNow());
            return AssessmentStore.Commit(assessment, new PendingAuditEvent("ScoresSubmitted", sheet));
        }, cancellationToken);

    public static CriterionScore[] Scores(SubmitScoresRequest request) => [.. request.Scores.Select(s => new CriterionScore(s.Criterion, s.Score, s.Justification))];
}

using Grants.Contracts.Assessments;
using Grants.Domain.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Assessor)]
[ApiOperation("Your assessments, in processing order", Tag = "Assessment", Response = typeof(IReadOnlyList<AssessmentResponse>))]
public sealed class ListMyAssessments(RequestGate gate, ListMyAssessmentsHandler handler)
{
    [Function(nameof(ListMyAssessments))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assessors/me/assessments")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListMyAssessments>(request, async (caller, ct) =>
            TypedResults.Ok((await handler.HandleAsync(caller, ct)).Select(view => AssessmentResponses.From(view, caller)).ToList()), cancellationToken);
}

/// <summary>
/// The assessments the caller is assigned to and not conflicted on, in processing order: by round, then rank. Only the
/// rounds whose committee the caller sits on are read.
/// </summary>
public sealed class ListMyAssessmentsHandler(AssessmentStore assessments, CommitteeStore committees)
{
    public async Task<IReadOnlyList<AssessmentView>> HandleAsync(Caller caller, CancellationToken cancellationToken)
    {
        var mine = new List<AssessmentView>();
        foreach (var committee in (await committees.OfMemberAsync(caller.Subject, cancellationToken)).Select(c => c.State))
        {
            mine.AddRange((await assessments.OfRoundAsync(committee.RoundId, cancellationToken))
                .Where(stored => stored.State.Members.Contains(caller.Subject) && !committee.IsConflicted(caller.Subject, stored.State.ApplicationId, stored.State.OrganisationKvk))
                .Select(stored => new AssessmentView(stored, committee)));
        }

        return [.. mine.OrderBy(a => a.Assessment.State.RoundId, StringComparer.Ordinal).ThenBy(a => a.Assessment.State.Rank)];
    }
}

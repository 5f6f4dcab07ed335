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
[ApiOperation("Declare your conflict of interest with an organisation or application; assigned work you have not scored moves to a colleague", Tag = "Assessment", Request = typeof(DeclareConflictRequest), Response = typeof(CommitteeResponse))]
public sealed class DeclareConflict(RequestGate gate, DeclareConflictHandler handler)
{
    [Function(nameof(DeclareConflict))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/committee/conflicts")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DeclareConflict, DeclareConflictRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(roundId, body, caller, ct)).Select(c => c.State).Ok(AssessmentResponses.Committee), cancellationToken);
}

/// <summary>
/// A member declares a conflict, once; then the work already assigned to them on that case, not yet scored,
/// moves to a colleague — from the declaration as stored, so that a retry completes moves an earlier attempt
/// did not finish.
/// </summary>
public sealed class DeclareConflictHandler(CommandExecutor commands, CommitteeStore committees, AssessmentStore assessments, TimeProvider time)
{
    public async Task<Result<StoredAggregate<CommitteeData>>> HandleAsync(string roundId, DeclareConflictRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var declared = await commands.ChangeAsync(committees, CommitteeStore.IdFor(roundId), ifMatch: null, caller.AuditName, stored =>
        {
            var committee = Committee.DeclareConflict(stored.State,
                new ConflictOfInterest(caller.Subject, request.OrganisationKvk, request.ApplicationId, request.Type, request.Note, now));
            return CommitteeStore.Commit(committee, new PendingAuditEvent(CommitteeStore.ConflictDeclaredEvent, committee.Conflicts[^1]));
        }, cancellationToken);

        if (declared.Value is { } saved)
        {
            await MoveConflictedWorkAsync(roundId, saved.State, $"Conflict of interest declared ({request.Type})", caller, now, cancellationToken);
        }

        return declared;
    }

    private async Task MoveConflictedWorkAsync(string roundId, CommitteeData committee, string reason, Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var member = caller.Subject;
        bool Affects(AssessmentData a) => a.Members.Contains(member) && committee.IsConflicted(member, a.ApplicationId, a.OrganisationKvk)
            // Already scored: the ministry decides what happens to those scores (POST …/reassign is refused for them).
            && !a.Sheets.Any(s => s.Member == member);

        var all = await assessments.OfRoundAsync(roundId, cancellationToken);
        var load = AssessmentAssignment.Load(all);
        foreach (var affected in all.Where(a => Affects(a.State)))
        {
            await commands.ChangeAsync(assessments, affected.Id, ifMatch: null, caller.AuditName, stored =>
            {
                if (!Affects(stored.State) || ChooseReplacement(committee, stored.State, load) is not { } replacement)
                {
                    return Commit<AssessmentData>.Unchanged(stored);
                }

                var assessment = new Assessment(stored.State);
                assessment.Reassign(committee, member, replacement.Member, reason, now, replacement.Held);
                return AssessmentStore.Commit(assessment, new PendingAuditEvent("AssessmentReassigned", assessment.Data.Reassignments[^1]));
            }, cancellationToken);
        }
    }

    /// <summary>The least loaded member who may take the work (not on it, no conflict, under the committee's cap), with what they held before; null when nobody may.</summary>
    private static (string Member, int Held)? ChooseReplacement(CommitteeData committee, AssessmentData assessment, Dictionary<string, int> load)
    {
        var cap = committee.MaxAssessmentsPerMember ?? int.MaxValue;
        var replacement = committee.Members
            .Where(m => !assessment.Members.Contains(m) && !committee.IsConflicted(m, assessment.ApplicationId, assessment.OrganisationKvk) && load.GetValueOrDefault(m) < cap)
            .OrderBy(m => load.GetValueOrDefault(m)).ThenBy(m => m, StringComparer.Ordinal)
            .FirstOrDefault();
        if (replacement is null)
        {
            return null;
        }

        var held = load.GetValueOrDefault(replacement);
        load[replacement] = held + 1;
        return (replacement, held);
    }
}

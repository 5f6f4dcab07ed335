using Grants.Contracts.Assessments;
using Grants.Domain.Assessments;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Assessments;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Constitute or change a round's assessment committee: chair, members, criteria with scales and weights, pass threshold, and optionally a cap on each member's assessments", Tag = "Assessment", Request = typeof(SetCommitteeRequest), Response = typeof(CommitteeResponse))]
public sealed class SetCommittee(RequestGate gate, SetCommitteeHandler handler)
{
    [Function(nameof(SetCommittee))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "rounds/{roundId}/committee")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<SetCommittee, SetCommitteeRequest>(request, async (caller, body, ct) =>
            (await handler.HandleAsync(roundId, body, caller, ct)).Select(c => c.State).Ok(AssessmentResponses.Committee), cancellationToken);
}

/// <summary>Constitutes a round's committee, or changes it: the conflicts its members declared stay with it.</summary>
public sealed class SetCommitteeHandler(CommandExecutor commands, CommitteeStore committees, RoundStore rounds)
{
    public async Task<Result<StoredAggregate<CommitteeData>>> HandleAsync(string roundId, SetCommitteeRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is null)
        {
            return RoundStore.NotFound(roundId);
        }

        var id = CommitteeStore.IdFor(roundId);
        await committees.SeatAsync(id, request.Members, cancellationToken);
        return await committees.FindAsync(id, cancellationToken) is null
            ? await commands.CreateAsync(committees, id, caller.AuditName, () => Constitute(roundId, request, []), cancellationToken)
            : await commands.ChangeAsync(committees, id, ifMatch: null, caller.AuditName, stored => Constitute(roundId, request, stored.State.Conflicts), cancellationToken);
    }

    private static Result<Commit<CommitteeData>> Constitute(string roundId, SetCommitteeRequest request, IReadOnlyList<ConflictOfInterest> conflicts)
    {
        var committee = Committee.Constitute(roundId, request.Chair, request.Members,
            [.. request.Criteria.Select(c => new Criterion(c.Code.Trim(), c.Name.Trim(), c.MinScore, c.MaxScore, c.Weight))], request.PassThreshold, conflicts, request.MaxAssessmentsPerMember);
        return CommitteeStore.Commit(committee, new PendingAuditEvent("CommitteeConstituted", new { committee.Chair, committee.Members, committee.Criteria, committee.PassThreshold, committee.MaxAssessmentsPerMember }));
    }
}

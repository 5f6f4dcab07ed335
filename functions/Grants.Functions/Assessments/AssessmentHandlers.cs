using Grants.Contracts.Assessments;
using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Common;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Assessments;

/// <summary>The committee's work: who sits on it, conflicts of interest, assignment in processing order, scoring and advice.</summary>
public sealed class AssessmentHandlers(AggregateStore store, AssessmentStores assessments, AssessmentAssignment assignment, RoundStore rounds, ApplicationStore applications, TimeProvider time)
{
    public async Task<IResult> SetCommitteeAsync(string roundId, SetCommitteeRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is null)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var existing = await assessments.CommitteeAsync(roundId, cancellationToken);
        var committee = Committee.Constitute(roundId, request.Chair, request.Members,
            [.. request.Criteria.Select(c => new Criterion(c.Code.Trim(), c.Name.Trim(), c.MinScore, c.MaxScore, c.Weight))], request.PassThreshold, existing?.State.Conflicts ?? []);
        var change = Change.Of(new PendingAuditEvent("CommitteeConstituted", new { committee.Chair, committee.Members, committee.Criteria, committee.PassThreshold }));
        var saved = existing is null
            ? await store.CreateAsync(AssessmentStores.CommitteeType, AssessmentStores.CommitteeId(roundId), "Constituted", committee, caller.AuditName, change, cancellationToken)
            : await store.UpdateAsync(existing, "Constituted", committee, caller.AuditName, change, cancellationToken);
        return TypedResults.Ok(AssessmentStores.ToResponse(saved.State));
    }

    public async Task<IResult> CommitteeAsync(string roundId, CancellationToken cancellationToken) =>
        await assessments.CommitteeAsync(roundId, cancellationToken) is { } committee
            ? TypedResults.Ok(AssessmentStores.ToResponse(committee.State))
            : Problems.Of(ProblemKind.NotFound, $"Round {roundId} has no committee yet.");

    /// <summary>A member declares a conflict; work already assigned to them on that case, not yet scored, moves to a colleague.</summary>
    public async Task<IResult> DeclareConflictAsync(string roundId, DeclareConflictRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await assessments.CommitteeAsync(roundId, cancellationToken) is not { } stored)
        {
            return Problems.Of(ProblemKind.NotFound, $"Round {roundId} has no committee yet.");
        }

        var now = time.GetUtcNow();
        var saved = stored;
        if (!stored.WrittenByCurrentOperation)
        {
            // Otherwise this request's earlier attempt declared it: declared once, and the moves below are repeatable.
            var declared = Committee.DeclareConflict(stored.State,
                new ConflictOfInterest(caller.Subject, request.OrganisationKvk, request.ApplicationId, request.Type, request.Note, now));
            saved = await store.UpdateAsync(stored, "Constituted", declared, caller.AuditName,
                Change.Of(new PendingAuditEvent(AssessmentStores.ConflictDeclaredEvent, declared.Conflicts[^1])), cancellationToken);
        }

        var committee = saved.State;

        var all = await assessments.OfRoundAsync(roundId, cancellationToken);
        var load = AssessmentAssignment.Load(all);
        foreach (var affected in all.Where(a => a.State.Members.Contains(caller.Subject) && committee.IsConflicted(caller.Subject, a.State.ApplicationId, a.State.OrganisationKvk)))
        {
            var assessment = new Assessment(affected.State);
            if (affected.State.Sheets.Any(s => s.Member == caller.Subject))
            {
                continue; // already scored: the ministry decides what happens to those scores (POST …/reassign is refused for them)
            }

            var replacement = ChooseReplacement(committee, affected.State, load);
            if (replacement is null)
            {
                continue;
            }

            assessment.Reassign(caller.Subject, replacement, $"Conflict of interest declared ({request.Type})", now);
            await assessments.SaveAsync(affected, assessment, caller.AuditName, new PendingAuditEvent("AssessmentReassigned", assessment.Data.Reassignments[^1]), cancellationToken);
        }

        return TypedResults.Ok(AssessmentStores.ToResponse(saved.State));
    }

    /// <summary>
    /// Assigns, to members free of conflicts, every application the committee should now assess: in
    /// "lottery then assess" rounds the selected ones in processing (rank) order; in "assess then
    /// lottery" rounds every eligible one before the pool freezes, in order of submission.
    /// </summary>
    public async Task<IResult> AssignAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await assessments.CommitteeAsync(roundId, cancellationToken) is not { } committee)
        {
            return Problems.Of(ProblemKind.NotFound, $"Round {roundId} has no committee yet.");
        }

        var round = await rounds.FindAsync(roundId, cancellationToken) ?? throw new InvalidOperationException($"Round {roundId} vanished.");
        var all = await applications.OfRoundAsync(roundId, cancellationToken);
        return TypedResults.Ok(await assignment.AssignAsync(round.State, committee.State, all, caller.AuditName, cancellationToken));
    }

    public async Task<IResult> GetAsync(string assessmentId, Caller caller, CancellationToken cancellationToken) =>
        await VisibleAsync(assessmentId, caller, cancellationToken) is { } found
            ? TypedResults.Ok(AssessmentStores.ToResponse(found.Assessment, found.Committee, caller))
            : AssessmentStores.NotFound(assessmentId);

    public async Task<IResult> MineAsync(Caller caller, CancellationToken cancellationToken)
    {
        var mine = new List<AssessmentResponse>();
        foreach (var stored in await store.ListAsync<AssessmentData>(AssessmentStores.AssessmentType, cancellationToken))
        {
            if (stored.State.Members.Contains(caller.Subject) && await assessments.CommitteeAsync(stored.State.RoundId, cancellationToken) is { } committee
                && !committee.State.IsConflicted(caller.Subject, stored.State.ApplicationId, stored.State.OrganisationKvk))
            {
                mine.Add(AssessmentStores.ToResponse(stored, committee.State, caller));
            }
        }

        return TypedResults.Ok(mine.OrderBy(a => a.RoundId, StringComparer.Ordinal).ThenBy(a => a.Rank).ToList());
    }

    public Task<IResult> SubmitScoresAsync(string assessmentId, SubmitScoresRequest request, Caller caller, CancellationToken cancellationToken) =>
        ActAsync(assessmentId, caller, (assessment, committee) =>
        {
            var sheet = assessment.SubmitScores(caller.Subject, Scores(request), committee.Criteria, time.GetUtcNow());
            return new PendingAuditEvent("ScoresSubmitted", sheet);
        }, cancellationToken);

    public Task<IResult> CorrectAsync(string assessmentId, string sheetId, SubmitScoresRequest request, Caller caller, CancellationToken cancellationToken) =>
        ActAsync(assessmentId, caller, (assessment, committee) =>
        {
            var sheet = assessment.Correct(caller.Subject, sheetId, Scores(request), committee.Criteria, time.GetUtcNow());
            return new PendingAuditEvent("ScoresCorrected", sheet);
        }, cancellationToken);

    public Task<IResult> AdviseAsync(string assessmentId, AdviceRequest request, Caller caller, CancellationToken cancellationToken) =>
        ActAsync(assessmentId, caller, (assessment, committee) =>
        {
            if (caller.Subject != committee.Chair)
            {
                throw new ForbiddenException("Only the committee's chair records its advice.");
            }

            assessment.RecordAdvice(caller.Subject, request.Positive, request.Note, time.GetUtcNow());
            return new PendingAuditEvent("AdviceRecorded", assessment.Data.Advice);
        }, cancellationToken);

    public Task<IResult> ReassignAsync(string assessmentId, ReassignRequest request, Caller caller, CancellationToken cancellationToken) =>
        ActAsync(assessmentId, caller, (assessment, committee) =>
        {
            if (!committee.Members.Contains(request.To) || committee.IsConflicted(request.To, assessment.Data.ApplicationId, assessment.Data.OrganisationKvk))
            {
                throw new DomainRuleException("to", $"{request.To} is not a committee member free of conflicts on this application");
            }

            assessment.Reassign(request.From, request.To, request.Reason, time.GetUtcNow());
            return new PendingAuditEvent("AssessmentReassigned", assessment.Data.Reassignments[^1]);
        }, cancellationToken);

    private async Task<IResult> ActAsync(string assessmentId, Caller caller, Func<Assessment, CommitteeData, PendingAuditEvent> act, CancellationToken cancellationToken)
    {
        if (await VisibleAsync(assessmentId, caller, cancellationToken) is not { } found)
        {
            return AssessmentStores.NotFound(assessmentId);
        }

        var saved = found.Assessment;
        if (!saved.WrittenByCurrentOperation)
        {
            // Otherwise this request's earlier attempt acted and its answer was lost: it is answered, not refused as done already.
            var assessment = new Assessment(saved.State);
            var auditEvent = act(assessment, found.Committee);
            saved = await assessments.SaveAsync(saved, assessment, caller.AuditName, auditEvent, cancellationToken);
        }

        return TypedResults.Ok(AssessmentStores.ToResponse(saved, found.Committee, caller)).WithETag(saved.ETag);
    }

    /// <summary>The ministry sees every assessment; the chair and assigned members only those they are not conflicted on.</summary>
    private async Task<(StoredAggregate<AssessmentData> Assessment, CommitteeData Committee)?> VisibleAsync(string assessmentId, Caller caller, CancellationToken cancellationToken)
    {
        if (await assessments.AssessmentAsync(assessmentId, cancellationToken) is not { } stored
            || await assessments.CommitteeAsync(stored.State.RoundId, cancellationToken) is not { } committee)
        {
            return null;
        }

        var c = committee.State;
        var allowed = caller.HasRole(Roles.Ministry)
            || (caller.HasRole(Roles.Assessor) && (stored.State.Members.Contains(caller.Subject) || c.Chair == caller.Subject)
                && !c.IsConflicted(caller.Subject, stored.State.ApplicationId, stored.State.OrganisationKvk));
        return allowed ? (stored, c) : null;
    }

    private static string? ChooseReplacement(CommitteeData committee, AssessmentData assessment, Dictionary<string, int> load)
    {
        var replacement = committee.Members
            .Where(m => !assessment.Members.Contains(m) && !committee.IsConflicted(m, assessment.ApplicationId, assessment.OrganisationKvk))
            .OrderBy(m => load.GetValueOrDefault(m)).ThenBy(m => m, StringComparer.Ordinal)
            .FirstOrDefault();
        if (replacement is not null)
        {
            load[replacement] = load.GetValueOrDefault(replacement) + 1;
        }

        return replacement;
    }

    private static CriterionScore[] Scores(SubmitScoresRequest request) => [.. request.Scores.Select(s => new CriterionScore(s.Criterion, s.Score, s.Justification))];
}

using Grants.Contracts.Applications;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Budget;
using Grants.Functions.Applications;
using Grants.Functions.Budget;
using Grants.Functions.Lottery;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Decisions;

/// <summary>
/// Decisions (<i>beschikkingen</i>): awards committed through the budget ledger — the ceiling is never
/// exceeded, and awards above the threshold need a second approver — rejections, and the grantee's
/// acceptance or decline. A rejection, decline or lapse releases the budget and moves the cut-off to
/// the next on the published reserve list.
/// </summary>
public sealed class DecisionHandlers(
    ApplicationStore applications, RoundStore rounds, BudgetLedgerStore ledger, CutoffChanges cutoff, DecisionDocuments documents, Vouchers.IssueVoucherHandler issueVoucher,
    Execution.StartGrantHandler startGrant, Assessments.AssessmentStore assessments, Assessments.AssessmentAssignment assignment, IOptions<DecisionOptions> options, TimeProvider time)
{
    public const string SystemActor = "system:award-lapse-timer";

    private TimeSpan AcceptanceWindow => TimeSpan.FromDays(options.Value.AcceptanceDays);

    public async Task<IResult> AwardAsync(string applicationId, AwardRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var round = await rounds.FindAsync(stored.State.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {stored.State.RoundId} vanished.");
        if (stored.WrittenByCurrentOperation)
        {
            return await AfterAwardAsync(stored, round.State, cancellationToken);
        }

        var assessment = await assessments.FindAsync(Domain.Assessments.Assessment.IdFor(applicationId), cancellationToken);
        var application = new Application(stored.State);
        application.Award(request.AmountCents, round.State.Configuration, assessment?.State, options.Value.FourEyesThresholdCents, caller.Subject, time.GetUtcNow(), AcceptanceWindow);
        if (application.AwaitsSecondApproval)
        {
            var proposed = await applications.SaveAsync(stored, application, caller.AuditName, Change.Of(new PendingAuditEvent("AwardProposed", application.Data.Award)), cancellationToken);
            return TypedResults.Ok(ApplicationStore.ToResponse(proposed)).WithETag(proposed.ETag);
        }

        return await CommitAwardAsync(stored, application, round.State, caller, "AwardDecided", cancellationToken);
    }

    public async Task<IResult> ApproveAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var round = await rounds.FindAsync(stored.State.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {stored.State.RoundId} vanished.");
        if (stored.WrittenByCurrentOperation)
        {
            return await AfterAwardAsync(stored, round.State, cancellationToken);
        }

        var application = new Application(stored.State);
        application.ApproveAward(caller.Subject, round.State.Configuration, time.GetUtcNow(), AcceptanceWindow);
        return await CommitAwardAsync(stored, application, round.State, caller, "AwardApproved", cancellationToken);
    }

    public async Task<IResult> RejectAsync(string applicationId, RejectRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var round = await rounds.FindAsync(stored.State.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {stored.State.RoundId} vanished.");
        var saved = stored;
        if (!stored.WrittenByCurrentOperation)
        {
            var application = new Application(stored.State);
            application.Reject(request.ReasonCodes, request.Note, caller.AuditName, time.GetUtcNow());
            saved = await SaveWithLetterAsync(stored, application, round.State, "rejection", caller, "ApplicationRejected", cancellationToken);
        }

        // Also when an earlier attempt of this request saved the rejection: the release is idempotent and may not have happened.
        await cutoff.AfterReleaseAsync(saved.State, "rejection", $"Application {saved.State.PoolId} was rejected.", caller, cancellationToken);
        return TypedResults.Ok(ApplicationStore.ToResponse(saved)).WithETag(saved.ETag);
    }

    public async Task<IResult> AnswerAsync(string applicationId, AnswerAwardRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } stored || !ApplicationStore.IsOwner(caller, stored.State))
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var saved = await SaveOnceAsync(stored, caller, application =>
        {
            application.Answer(request.Accept, time.GetUtcNow());
            return Change.Of(new PendingAuditEvent(request.Accept ? "AwardAccepted" : "AwardDeclined", application.Data.Acceptance));
        }, cancellationToken);

        // What follows the answer is idempotent, so a retry of this request completes it if an earlier attempt stopped short.
        if (!request.Accept)
        {
            await cutoff.AfterReleaseAsync(saved.State, "decline", $"The award to {saved.State.PoolId} was declined.", caller, cancellationToken);
        }
        else if (await rounds.FindAsync(saved.State.RoundId, cancellationToken) is { } round)
        {
            await startGrant.HandleAsync(saved.State, round.State, cancellationToken);
        }

        return TypedResults.Ok(ApplicationStore.ToResponse(saved)).WithETag(saved.ETag);
    }

    public async Task<IResult> LodgeObjectionAsync(string applicationId, LodgeObjectionRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } stored || !ApplicationStore.IsOwner(caller, stored.State))
        {
            return ApplicationStore.NotFound(applicationId);
        }

        // The acknowledgement goes out with the objection, in the same commit.
        var saved = await SaveOnceAsync(stored, caller, application =>
        {
            application.LodgeObjection(request.Grounds, time.GetUtcNow());
            return Change.Of(new PendingAuditEvent("ObjectionLodged", application.Data.Objection), ApplicantMail.ObjectionLodged(application.Data));
        }, cancellationToken);
        return TypedResults.Ok(ApplicationStore.ToResponse(saved)).WithETag(saved.ETag);
    }

    /// <summary>
    /// Upheld: back to the award path, where the ledger decides whether the remaining budget allows an award.
    /// The decision is a decision letter like the award and the rejection: kept with them and mailed.
    /// </summary>
    public async Task<IResult> DecideObjectionAsync(string applicationId, DecideObjectionRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(applicationId, cancellationToken) is not { } stored)
        {
            return ApplicationStore.NotFound(applicationId);
        }

        var saved = stored;
        if (!stored.WrittenByCurrentOperation)
        {
            var application = new Application(stored.State);
            application.DecideObjection(request.Upheld, request.Reasoning, time.GetUtcNow());
            saved = await SaveWithLetterAsync(stored, application, ApplicantMail.ObjectionDecided(application.Data), "objection-decision", caller,
                request.Upheld ? "ObjectionUpheld" : "ObjectionDismissed", letter => new { objection = application.Data.Objection, letter }, cancellationToken);
        }

        if (saved.State.Status == ApplicationStatus.Selected)
        {
            // Upheld: rejected before the committee advised, it now waits for that advice like anyone selected.
            var round = await rounds.FindAsync(saved.State.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {saved.State.RoundId} vanished.");
            await assignment.AssignMovedUpAsync(round.State, [saved.Id], cancellationToken, Assessments.AssessmentAssignment.ObjectionActor);
        }

        return TypedResults.Ok(ApplicationStore.ToResponse(saved)).WithETag(saved.ETag);
    }

    /// <summary>
    /// Acts and saves, unless this request's earlier attempt already did and only its answer was lost:
    /// then the application as that attempt left it is the answer, not a refusal as already done.
    /// </summary>
    private async Task<StoredAggregate<ApplicationData>> SaveOnceAsync(StoredAggregate<ApplicationData> stored, Caller caller, Func<Application, Change> act, CancellationToken cancellationToken)
    {
        if (stored.WrittenByCurrentOperation)
        {
            return stored;
        }

        var application = new Application(stored.State);
        var change = act(application);
        return await applications.SaveAsync(stored, application, caller.AuditName, change, cancellationToken);
    }

    /// <summary>Objections not decided within their six weeks are flagged once, in the audit trail and the log.</summary>
    public async Task FlagOverdueObjectionsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var pending in await applications.InStatusAsync(ApplicationStatus.UnderObjection, cancellationToken))
        {
            await applications.UpdateWithRetryAsync(pending.Id, a => a.IsObjectionOverdue(now), a =>
            {
                a.FlagObjectionOverdue(now);
                return Change.Of(new PendingAuditEvent("ObjectionOverdue", new { decideBy = a.Data.Objection!.DecideBy }));
            }, "system:objection-deadline-timer", cancellationToken);
        }
    }

    /// <summary>Awards not accepted by their deadline lapse; their budget goes down the reserve list.</summary>
    public async Task LapseAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var system = new Caller(SystemActor, new HashSet<string>(), null);
        // A voucher award asks for no answer and so never lapses (Application.HasLapsed): the voucher's own validity ends it.
        foreach (var awarded in await applications.InStatusAsync(ApplicationStatus.Awarded, cancellationToken))
        {
            var lapsed = await applications.UpdateWithRetryAsync(awarded.Id, a => a.HasLapsed(now), a =>
            {
                a.Lapse(now);
                return Change.Of(new PendingAuditEvent("AwardLapsed", a.Data.Acceptance));
            }, SystemActor, cancellationToken);
            if (lapsed is not null)
            {
                await cutoff.AfterReleaseAsync(lapsed.State, "lapse", $"The award to {lapsed.State.PoolId} lapsed unanswered.", system, cancellationToken);
            }
        }
    }

    private async Task<IResult> CommitAwardAsync(StoredAggregate<ApplicationData> stored, Application application, RoundData round, Caller caller, string auditType, CancellationToken cancellationToken)
    {
        // The ledger first: if the ceiling does not allow it, nothing about the application changes.
        await ledger.PostAsync(stored.State.RoundId, new LedgerEntry($"award-{stored.Id}", LedgerKinds.Commit, stored.Id, application.Data.Award!.AmountCents, caller.AuditName, time.GetUtcNow(), auditType), cancellationToken);
        var saved = await SaveWithLetterAsync(stored, application, round, "award", caller, auditType, cancellationToken);
        return await AfterAwardAsync(saved, round, cancellationToken);
    }

    /// <summary>A voucher award issues the voucher; a retried award whose earlier attempt stopped before it does so now.</summary>
    private async Task<IResult> AfterAwardAsync(StoredAggregate<ApplicationData> saved, RoundData round, CancellationToken cancellationToken)
    {
        await issueVoucher.HandleAsync(saved.State, round, cancellationToken);
        return TypedResults.Ok(ApplicationStore.ToResponse(saved)).WithETag(saved.ETag);
    }

    /// <summary>An award or rejection with its decision letter (<see cref="DecisionDocuments.Render"/>).</summary>
    private Task<StoredAggregate<ApplicationData>> SaveWithLetterAsync(
        StoredAggregate<ApplicationData> stored, Application application, RoundData round, string kind, Caller caller, string auditType, CancellationToken cancellationToken) =>
        SaveWithLetterAsync(stored, application, DecisionDocuments.Render(application.Data, round), kind, caller, auditType,
            letter => new { award = application.Data.Award, rejection = application.Data.Rejection, letter }, cancellationToken);

    /// <summary>A decision kept as the letter the applicant receives, then saved with its audit event (naming the letter) and the mail in one commit.</summary>
    private async Task<StoredAggregate<ApplicationData>> SaveWithLetterAsync(
        StoredAggregate<ApplicationData> stored, Application application, OutboxEmail mail, string kind, Caller caller, string auditType, Func<string, object> payload, CancellationToken cancellationToken)
    {
        var letter = await documents.StoreAsync(application.Data, kind, mail, cancellationToken);
        return await applications.SaveAsync(stored, application, caller.AuditName, Change.Of(new PendingAuditEvent(auditType, payload(letter)), mail), cancellationToken);
    }
}

using Grants.Contracts.Execution;
using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Execution;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Functions.Applications;
using Grants.Functions.Applications.Attachments;
using Grants.Functions.Budget;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Execution;

/// <summary>
/// Accepted project subsidies: the advance, the reports (PDFs with deadlines the timer watches) and the
/// settlement, every payment and recovery booked in the round's ledger before the grant records it.
/// </summary>
public sealed class GrantHandlers(
    AggregateStore store, ApplicationStore applications, Rounds.RoundStore rounds, AttachmentStore files, BudgetLedgerStore ledger, IOptions<ExecutionOptions> options, TimeProvider time, ILogger<GrantHandlers> logger)
{
    public const string AggregateType = "grant";
    public const string SystemActor = "system:report-deadlines";

    /// <summary>On acceptance of a project subsidy: the agreement with its advance and report deadlines. Safe to repeat.</summary>
    public async Task StartAsync(ApplicationData accepted, RoundData round, CancellationToken cancellationToken)
    {
        if (round.Configuration.Instrument != Instrument.ProjectSubsidy || accepted.Status != ApplicationStatus.Accepted || accepted.Award is null)
        {
            return;
        }

        var settings = options.Value;
        var grant = GrantAgreement.Start(round.Id, accepted.Id, accepted.Applicant.Kvk, accepted.Award.AmountCents, time.GetUtcNow(), accepted.Content.DurationMonths ?? 12, settings.AdvanceShare, settings.FinalReportWeeks);
        try
        {
            await store.CreateAsync(AggregateType, grant.Data.Id, grant.Data.Status.ToString(), grant.Data, SystemActor,
                Change.Of(new PendingAuditEvent("GrantStarted", new { grant.Data.AwardedCents, advances = grant.Data.Advances, reports = grant.Data.Reports })),
                new Dictionary<string, string> { ["RoundId"] = round.Id }, cancellationToken);
        }
        catch (AggregateExistsException)
        {
        }
    }

    public async Task<IResult> OfApplicationAsync(string applicationId, Caller caller, CancellationToken cancellationToken)
    {
        var application = await applications.FindAsync(applicationId, cancellationToken);
        if (application is null || !(ApplicationStore.MaySee(caller, application.State) || caller.HasRole(Roles.Auditor))
            || await store.FindAsync<GrantData>(GrantAgreement.IdFor(applicationId), cancellationToken) is not { } grant)
        {
            return Problems.Of(ProblemKind.NotFound, $"No grant for application {applicationId}.");
        }

        return Ok(grant);
    }

    public async Task<IResult> PayAdvanceAsync(string grantId, string advanceId, Caller caller, CancellationToken cancellationToken)
    {
        if (await FindAsync(grantId, cancellationToken) is not { } stored)
        {
            return NotFound(grantId);
        }

        if (stored.WrittenByCurrentOperation)
        {
            return Ok(stored); // paid by this request's earlier attempt, its booking first
        }

        var grant = new GrantAgreement(stored.State);
        var paid = grant.PayAdvance(advanceId, caller.AuditName, time.GetUtcNow());
        await ledger.PostAsync(stored.State.RoundId, new LedgerEntry($"{advanceId}-{grantId}", LedgerKinds.Payment, stored.State.ApplicationId, paid.AmountCents, caller.AuditName, time.GetUtcNow(), "advance"), cancellationToken);
        return Ok(await store.UpdateAsync(stored, grant.Data.Status.ToString(), grant.Data, caller.AuditName, Change.Of(new PendingAuditEvent("AdvancePaid", paid)), cancellationToken));
    }

    /// <summary>The grantee's report as a PDF in the body; the final report states its actual costs (<c>?actualCostsCents=</c>).</summary>
    public async Task<IResult> SubmitReportAsync(string grantId, string kind, HttpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await FindAsync(grantId, cancellationToken) is not { } stored || caller.Organisation != stored.State.HolderKvk || !caller.HasRole(Roles.Applicant))
        {
            return NotFound(grantId);
        }

        long? costs = null;
        if (request.Query.ContainsKey("actualCostsCents"))
        {
            if (!long.TryParse(request.Query["actualCostsCents"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["actualCostsCents"] = ["must be a whole number of cents"] });
            }

            costs = parsed;
        }

        // Checked before the upload, so a refused report leaves no file behind.
        var grant = new GrantAgreement(stored.State);
        if (kind is not (ReportKinds.Progress or ReportKinds.Final) || (kind == ReportKinds.Final && costs is null))
        {
            return Problems.Validation(new Dictionary<string, string[]> { [kind is ReportKinds.Final ? "actualCostsCents" : "kind"] = [kind is ReportKinds.Final ? "the final report states the actual costs" : "must be progress or final"] });
        }

        if (!grant.CanSubmit(kind))
        {
            throw new Domain.Common.InvalidTransitionException("grant", stored.State.Status.ToString(), $"take a {kind} report for");
        }

        var (file, problem) = await files.UploadAsync(grantId, $"report-{kind}", request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            grant.SubmitReport(kind, file!.BlobName, file.Sha256, costs, time.GetUtcNow());
            return Ok(await store.UpdateAsync(stored, grant.Data.Status.ToString(), grant.Data, caller.AuditName, Change.Of(new PendingAuditEvent("ReportSubmitted", new { kind, file.Sha256, costs })), cancellationToken));
        }
        catch
        {
            // The report was not recorded (e.g. the deadline timer saved the grant meanwhile): no orphaned file.
            await files.DeleteAsync(file!.BlobName);
            throw;
        }
    }

    /// <summary>
    /// Settlement: the decision is saved on the grant first (under its ETag, so two settlements cannot
    /// both win), then its final payment, recovery and release are booked from the stored decision. A
    /// repeated request with the same costs books whatever a failure left unbooked; other costs get 409.
    /// </summary>
    public async Task<IResult> SettleAsync(string grantId, SettleGrantRequest body, Caller caller, CancellationToken cancellationToken)
    {
        if (await FindAsync(grantId, cancellationToken) is not { } stored)
        {
            return NotFound(grantId);
        }

        var saved = stored;
        if (stored.State.Settlement is not { } existing)
        {
            var grant = new GrantAgreement(stored.State);
            var settlement = grant.Settle(body.EligibleCostsCents, caller.AuditName, time.GetUtcNow());
            saved = await store.UpdateAsync(stored, grant.Data.Status.ToString(), grant.Data, caller.AuditName, Change.Of(new PendingAuditEvent("GrantSettled", settlement)), cancellationToken);
        }
        else if (existing.EligibleCostsCents != body.EligibleCostsCents)
        {
            throw new Domain.Common.InvalidTransitionException("grant", "Settled", "settle", $"it was settled on eligible costs of {existing.EligibleCostsCents} cents, and a settlement is final");
        }

        await BookSettlementAsync(saved.State, caller, cancellationToken);
        return Ok(saved);
    }

    private async Task BookSettlementAsync(GrantData grant, Caller caller, CancellationToken cancellationToken)
    {
        var s = grant.Settlement!;
        var (round, reference, id) = (grant.RoundId, grant.ApplicationId, grant.Id);
        if (s.FinalPaymentCents > 0)
        {
            await ledger.PostAsync(round, new LedgerEntry($"final-payment-{id}", LedgerKinds.Payment, reference, s.FinalPaymentCents, s.SettledBy, s.SettledAt, "settlement: final payment"), cancellationToken);
        }

        if (s.RecoveryCents > 0)
        {
            await ledger.PostAsync(round, new LedgerEntry($"recovery-{id}", LedgerKinds.Recovery, reference, s.RecoveryCents, s.SettledBy, s.SettledAt, "settlement: advance above the settled amount to be recovered"), cancellationToken);
        }

        // Whatever is still committed beyond the settled amount goes back to the ceiling.
        await ledger.PostAsync(round, new LedgerEntry($"settled-release-{id}", LedgerKinds.Release, reference, 0, s.SettledBy, s.SettledAt, "settlement: award not used"), cancellationToken);
    }

    /// <summary>
    /// Every day: reminders before report deadlines, and overdue reports flagged (both mailed to the
    /// grantee); and a grant for any accepted project subsidy that lacks one (its start failed after the
    /// acceptance was saved).
    /// </summary>
    public async Task WatchDeadlinesAsync(CancellationToken cancellationToken)
    {
        foreach (var accepted in await applications.InStatusAsync(ApplicationStatus.Accepted, cancellationToken))
        {
            try
            {
                if (await store.FindAsync<GrantData>(GrantAgreement.IdFor(accepted.Id), cancellationToken) is null
                    && await rounds.FindAsync(accepted.State.RoundId, cancellationToken) is { } round)
                {
                    await StartAsync(accepted.State, round.State, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The grant of {Application} could not be started; retrying next run.", accepted.Id);
            }
        }

        foreach (var stored in await store.ListAsync<GrantData>(AggregateType, cancellationToken))
        {
            try
            {
                var grant = new GrantAgreement(stored.State);
                var (remind, overdue) = grant.DueNotices(time.GetUtcNow(), TimeSpan.FromDays(options.Value.ReminderDays));
                if (remind.Count + overdue.Count == 0)
                {
                    continue;
                }

                var grantee = (await applications.FindAsync(stored.State.ApplicationId, cancellationToken))!.State;
                var mails = new List<OutboxEmail>();
                foreach (var report in remind)
                {
                    grant.MarkReminded(report.Kind);
                    mails.Add(GrantMail.ReportDueSoon(grantee, report));
                }

                foreach (var report in overdue)
                {
                    grant.FlagOverdue(report.Kind, time.GetUtcNow());
                    mails.Add(GrantMail.ReportOverdue(grantee, report));
                }

                await store.UpdateAsync(stored, grant.Data.Status.ToString(), grant.Data, SystemActor,
                    new Change([new PendingAuditEvent("ReportDeadlinesNoticed", new { reminded = remind.Select(r => r.Kind), overdue = overdue.Select(r => r.Kind) })], mails), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Report deadlines of grant {Grant} could not be processed; retrying next run.", stored.Id);
            }
        }
    }

    private Task<StoredAggregate<GrantData>?> FindAsync(string grantId, CancellationToken cancellationToken) =>
        grantId.StartsWith("grant-", StringComparison.Ordinal) ? store.FindAsync<GrantData>(grantId, cancellationToken) : Task.FromResult<StoredAggregate<GrantData>?>(null);

    private static IResult NotFound(string grantId) => Problems.Of(ProblemKind.NotFound, $"No grant {grantId} of yours.");

    private static IResult Ok(StoredAggregate<GrantData> stored)
    {
        var g = stored.State;
        return TypedResults.Ok(new GrantResponse(g.Id, g.RoundId, g.ApplicationId, g.AwardedCents, g.PaidCents - (g.Settlement?.RecoveryCents ?? 0) + (g.Settlement?.FinalPaymentCents ?? 0), g.Status.ToString(),
            [.. g.Advances.Select(a => new AdvanceResponse(a.Id, a.DueAt, a.AmountCents, a.Status.ToString(), a.PaidAt))],
            [.. g.Reports.Select(r => new ReportResponse(r.Kind, r.DueAt, r.SubmittedAt, r.ActualCostsCents, r.Reminded, r.OverdueFlagged))],
            g.Settlement is { } s ? new SettlementResponse(s.EligibleCostsCents, s.SettledCents, s.PaidBeforeCents, s.FinalPaymentCents, s.RecoveryCents, s.SettledAt) : null,
            stored.Version)).WithETag(stored.ETag);
    }
}

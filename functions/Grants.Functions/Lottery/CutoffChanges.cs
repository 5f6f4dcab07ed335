using Grants.Contracts.Lottery;
using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Budget;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Lottery;

/// <summary>
/// Changes after a published draw — budget top-ups and withdrawals — move the cut-off down the
/// published order, never around it (domain.md §2.2). Each change is appended to the protocol's
/// cut-off history (a new write-once version), booked in the budget ledger, and the newly selected
/// applicants are told. A top-up that would leave fewer control units than the round's minimum is
/// refused unless ministry staff confirm having seen what it costs the evaluation.
/// </summary>
public sealed class CutoffChanges(
    RoundStore rounds, PoolStore pools, ProtocolStore protocols, ApplicationStore applications, BudgetLedgerStore ledger, Assessments.AssessmentAssignment assessments, TimeProvider time)
{
    public const string TopUp = "top-up";
    public const string Withdrawal = "withdrawal";

    public async Task<IResult> TopUpAsync(string roundId, TopUpRequest request, Caller caller, bool preview, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return ResultResponses.Problem(RoundStore.NotFound(roundId));
        }

        var stratum = stored.State.Configuration.Allocation.Strata == "none" ? null : request.Stratum
            ?? throw new DomainRuleException("stratum", "this round's design is stratified: say which stratum's budget to raise");
        return await ChangeAsync(stored, TopUp, request.Reason, caller, stratum, request.AmountCents, [], request.ConfirmSmallControlGroup || preview, preview, cancellationToken);
    }

    /// <summary>A selected or reserve application left: free its place and move the cut-off. Never refused: nobody can be kept from withdrawing.</summary>
    public Task AfterWithdrawalAsync(ApplicationData withdrawn, Caller caller, CancellationToken cancellationToken) =>
        AfterReleaseAsync(withdrawn, Withdrawal, $"Application {withdrawn.PoolId} was withdrawn.", caller, cancellationToken);

    /// <summary>
    /// An application gave up its place — withdrawn, rejected after assessment, award declined or lapsed:
    /// its budget is released and the cut-off moves to the next on the published reserve list.
    /// </summary>
    public async Task AfterReleaseAsync(ApplicationData released, string kind, string reason, Caller caller, CancellationToken cancellationToken)
    {
        if (released.PoolId is null || await rounds.FindAsync(released.RoundId, cancellationToken) is not { State.LotteryState.Draw.PublishedAt: not null } stored)
        {
            return;
        }

        // Release first: the freed budget is what the next on the list is selected with. Both steps can be
        // repeated (a retried request, a timer repairing an interrupted release): the ledger entry id is
        // fixed, and an application already off the selection moves the cut-off no further.
        await ledger.PostAsync(released.RoundId, new LedgerEntry($"release-{released.Id}", LedgerKinds.Release, released.Id, 0, caller.AuditName, time.GetUtcNow(), kind), cancellationToken);

        // Releases in one round at the same moment (several rejections, declines) are ordered by the
        // round's ETag: the one that loses reads the round again and moves the cut-off from there, so the
        // caller's own (already saved) decision is never reported as failed.
        for (var attempt = 1; ; attempt++)
        {
            var protocol = await protocols.ReadAsync(stored.Id, stored.State.LotteryState.Draw!.ProtocolHash, cancellationToken);
            if (!protocol.Selected.Contains(released.PoolId) && !protocol.Reserve.Contains(released.PoolId))
            {
                return;
            }

            try
            {
                await ChangeAsync(stored, kind, reason, caller, null, 0, [released.PoolId], confirmed: true, preview: false, cancellationToken, protocol);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 20)
            {
                stored = await rounds.FindAsync(released.RoundId, cancellationToken) ?? throw new InvalidOperationException($"Round {released.RoundId} vanished.");
            }
        }
    }

    private async Task<IResult> ChangeAsync(
        StoredAggregate<RoundData> stored, string kind, string reason, Caller caller, string? stratum, long budgetChange, IReadOnlyList<string> released,
        bool confirmed, bool preview, CancellationToken cancellationToken, LotteryProtocol? current = null)
    {
        var draw = stored.State.LotteryState.Draw;
        if (draw is not { PublishedAt: not null })
        {
            throw new InvalidTransitionException("round", stored.State.Status.ToString(), "move the cut-off of", "the draw must be published first");
        }

        // A caller that has just read the current protocol passes it in; it is not read twice.
        var protocol = current ?? await protocols.ReadAsync(stored.Id, draw.ProtocolHash, cancellationToken);
        if (!preview && stored.WrittenByCurrentOperation && protocol.CutoffHistory.Count > 0)
        {
            // An earlier attempt of this very request saved its change and lost its answer: finish it, do not add it again.
            var done = protocol.CutoffHistory[^1];
            await CompleteAsync(stored.State, protocol, draw.ProtocolHash, caller, cancellationToken);
            var (selected, reserve) = (protocol.Selected.Count, protocol.Reserve.Count);
            return TypedResults.Ok(new CutoffChangeResponse(true, done.NewlySelected, selected - done.NewlySelected.Count, selected, reserve + done.NewlySelected.Count, reserve,
                stored.State.Configuration.MinimumControlGroup, ControlGroup.MinimumDetectableEffect(selected - done.NewlySelected.Count, reserve + done.NewlySelected.Count),
                ControlGroup.MinimumDetectableEffect(selected, reserve), draw.ProtocolHash));
        }

        var amounts = protocol.Pool.ToDictionary(p => p.Id, p => p.Amount);
        var order = protocol.Order.Select(o => new RankedEntry(o.Id, o.Stratum, amounts[o.Id], o.Score, o.Rank)).ToList();
        if (stratum is not null && order.All(o => o.Stratum != stratum))
        {
            throw new DomainRuleException("stratum", $"'{stratum}' is not a stratum of this round's pool");
        }

        var change = new CutoffChange(time.GetUtcNow(), kind, reason.Trim(), caller.AuditName, stratum, budgetChange, released, []);
        var (state, newly) = CutoffMovement.Apply(new CutoffState(protocol.Selected, protocol.Reserve), order, protocol.Design.ToDesign(),
            CutoffMovement.BudgetChanges([.. protocol.CutoffHistory, change]), stratum, released);
        var minimum = stored.State.Configuration.MinimumControlGroup;
        var impact = new CutoffChangeResponse(false, newly, protocol.Selected.Count, state.Selected.Count, protocol.Reserve.Count, state.Reserve.Count, minimum,
            ControlGroup.MinimumDetectableEffect(protocol.Selected.Count, protocol.Reserve.Count), ControlGroup.MinimumDetectableEffect(state.Selected.Count, state.Reserve.Count), null);
        if (preview)
        {
            return TypedResults.Ok(impact);
        }

        if (!confirmed && newly.Count > 0 && state.Reserve.Count < minimum)
        {
            return Problems.Of(ProblemKind.ControlGroupTooSmall,
                ControlGroupWarning.Describe(state.Reserve.Count, minimum, impact.MinimumDetectableEffectBefore, impact.MinimumDetectableEffectAfter),
                new Dictionary<string, object?> { ["impact"] = impact });
        }

        var updated = protocol with { CutoffHistory = [.. protocol.CutoffHistory, change with { NewlySelected = newly }], Selected = state.Selected, Reserve = state.Reserve };
        var hash = await protocols.WriteOnceAsync(stored.Id, updated, cancellationToken);
        var round = new Round(stored.State);
        round.RecordCutoffChange(hash);
        var saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("CutoffMoved", new { kind, reason = change.Reason, stratum, budgetChange, released, newlySelected = newly, protocolHash = hash }), cancellationToken);

        await CompleteAsync(saved.State, updated, hash, caller, cancellationToken);
        return TypedResults.Ok(impact with { Applied = true, ProtocolHash = hash });
    }

    /// <summary>
    /// What follows a saved cut-off change: the ledger books its top-ups and reserves for the newly
    /// selected, who are told and, where the round assesses after the draw, join the committee's queue
    /// as the draw's selection did. Every step is idempotent, so a retry of the request that saved the
    /// change (<see cref="StoredAggregate{TState}.WrittenByCurrentOperation"/>) runs it again to finish
    /// what an interrupted attempt began.
    /// </summary>
    private async Task CompleteAsync(RoundData round, LotteryProtocol protocol, string hash, Caller caller, CancellationToken cancellationToken)
    {
        var change = protocol.CutoffHistory[^1];
        if (change.BudgetChange > 0 || change.NewlySelected.Count > 0)
        {
            await BookTopUpsAsync(round.Id, protocol.CutoffHistory, cancellationToken);
        }

        var pool = await pools.ReadAsync(round, cancellationToken);
        var entries = pool.Entries.ToDictionary(e => e.Id);
        foreach (var poolId in change.NewlySelected)
        {
            var entry = entries[poolId];
            await ledger.PostAsync(round.Id, new LedgerEntry($"select-{entry.ApplicationId}", LedgerKinds.Reserve, entry.ApplicationId, entry.Amount, change.By, change.At, $"{change.Kind}: {change.Reason}"), cancellationToken);
            await applications.UpdateWithRetryAsync(entry.ApplicationId, a => a.Data.Status == ApplicationStatus.Reserve, a =>
            {
                a.SelectFromReserve(hash);
                return Change.Of(new PendingAuditEvent("SelectedFromReserve", new { kind = change.Kind, protocolHash = hash }), ApplicantMail.SelectedFromReserve(a.Data, round.Name, round.Configuration));
            }, caller.AuditName, cancellationToken);
        }

        await assessments.AssignMovedUpAsync(round, [.. change.NewlySelected.Select(poolId => entries[poolId].ApplicationId)], cancellationToken);
    }

    /// <summary>
    /// Books every top-up of the cut-off history in the ledger, before anyone is reserved under the new
    /// cut-off. The cut-off counts a top-up from the moment its change is saved with the round, but that
    /// change's own request books the money only afterwards: a change saved a moment later may select
    /// with the same money, and its reservations must not reach the ledger first (or at all, should the
    /// top-up's request stop in between). The entry id is the change's place in the history, so whichever
    /// request books a top-up first, it is booked once.
    /// </summary>
    private async Task BookTopUpsAsync(string roundId, IReadOnlyList<CutoffChange> history, CancellationToken cancellationToken)
    {
        for (var place = 1; place <= history.Count; place++)
        {
            var change = history[place - 1];
            if (change.BudgetChange > 0)
            {
                await ledger.PostAsync(roundId, new LedgerEntry($"{TopUp}-{place}", LedgerKinds.TopUp, null, change.BudgetChange, change.By, change.At, change.Reason), cancellationToken);
            }
        }
    }
}

using Grants.Contracts.Lottery;
using Grants.Domain.Applications;
using Grants.Domain.Budget;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Budget;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;

namespace Grants.Functions.Lottery;

/// <summary>
/// The published order below the cut-off. Changes after a published draw — budget top-ups and places given
/// up — move the cut-off down that order, never around it (domain.md §2.2). Each change is appended to the
/// protocol's cut-off history, published as a cut-off document extending the draw's protocol (a new write-once
/// version, docs/decisions/0023), and recorded with the round; then the budget
/// ledger books it and the newly selected applicants are told. A place given up (withdrawn, rejected after
/// assessment, award declined or lapsed, voucher returned or expired) is released through
/// <see cref="ReleaseAsync"/>, which is never refused: nobody can be kept from giving up a place.
/// </summary>
public sealed class ReserveList(
    CommandExecutor commands, RoundStore rounds, PoolStore pools, ProtocolStore protocols, ApplicationStore applications, BudgetLedgerStore ledger,
    Assessments.AssessmentAssignment assessments, TimeProvider time)
{
    public const string TopUp = "top-up";

    /// <summary>
    /// An application gave up its place — withdrawn, rejected after assessment, award declined or lapsed:
    /// its budget is released and the cut-off moves to the next on the published reserve list.
    /// </summary>
    public async Task ReleaseAsync(ApplicationData released, string kind, string reason, Caller caller, CancellationToken cancellationToken)
    {
        if (released.PoolId is not { } poolId || await rounds.FindAsync(released.RoundId, cancellationToken) is not { State.LotteryState.Draw.PublishedAt: not null })
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
            var (acted, move) = (false, (CutoffMove?)null);
            try
            {
                var moved = await commands.ChangeAsync(rounds, released.RoundId, ifMatch: null, caller.AuditName, async stored =>
                {
                    acted = true;
                    var protocol = await CurrentProtocolAsync(stored, cancellationToken);
                    if (!protocol.Selected.Contains(poolId) && !protocol.Reserve.Contains(poolId))
                    {
                        return Commit<RoundData>.Unchanged(stored);
                    }

                    move = Plan(stored.State, protocol, kind, reason, caller, null, 0, [poolId]);
                    return await RecordAsync(stored, move, cancellationToken);
                }, cancellationToken);

                // Finished also when this request's earlier attempt saved the move and stopped before finishing it.
                if (moved.Value is { } saved && (move is not null || !acted))
                {
                    await CompleteAsync(saved.State, move?.Moved, caller, cancellationToken);
                }

                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 20)
            {
            }
        }
    }

    /// <summary>What a top-up of <paramref name="request"/>'s amount would do to the round's selection, not yet saved.</summary>
    public async Task<CutoffMove> PlanTopUpAsync(StoredAggregate<RoundData> stored, TopUpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var stratum = new Round(stored.State).StratumOfTopUp(request.Stratum);
        var protocol = await CurrentProtocolAsync(stored, cancellationToken);
        return Plan(stored.State, protocol, TopUp, request.Reason, caller, stratum, request.AmountCents, []) with { SmallControlGroupConfirmed = request.ConfirmSmallControlGroup };
    }

    /// <summary>
    /// Writes the move once, as a cut-off document extending the draw's protocol (docs/decisions/0023), and says what the
    /// round records of it: the new version, with the move in its audit trail.
    /// </summary>
    public async Task<Commit<RoundData>> RecordAsync(StoredAggregate<RoundData> stored, CutoffMove move, CancellationToken cancellationToken)
    {
        // Refused before its cut-off document is written, so that a refusal leaves nothing behind.
        var round = new Round(stored.State);
        round.CheckCutoffChange(move.Change, move.ReserveAfter, move.SmallControlGroupConfirmed);
        var hash = await protocols.WriteChangeAsync(stored.Id, stored.State.LotteryState.Draw!.ProtocolHash, move.Moved, cancellationToken);
        round.RecordCutoffChange(hash, move.Change, move.ReserveAfter, move.SmallControlGroupConfirmed);
        var change = move.Change;
        return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), Change.Of(new PendingAuditEvent("CutoffMoved", new
        {
            // Who it selected is in the protocol version the hash names (written once); listed here, a national top-up's
            // thousands would pass the 64 KiB a table property holds.
            kind = change.Kind, reason = change.Reason, stratum = change.Stratum, budgetChange = change.BudgetChange, released = change.Released,
            newlySelectedCount = change.NewlySelected.Count, protocolHash = hash,
        })));
    }

    /// <summary>
    /// What follows a saved cut-off change: the ledger books its top-ups and reserves for the newly
    /// selected, who are told and, where the round assesses after the draw, join the committee's queue
    /// as the draw's selection did. Every step is idempotent, so a retry of the request that saved the
    /// change runs it again to finish what an interrupted attempt began.
    /// </summary>
    /// <param name="moved">The protocol the change was saved as, when at hand; else it is read.</param>
    /// <returns>The move the round's last change made.</returns>
    public async Task<CutoffMove> CompleteAsync(RoundData round, LotteryProtocol? moved, Caller caller, CancellationToken cancellationToken)
    {
        var hash = round.LotteryState.Draw!.ProtocolHash;
        var protocol = moved ?? await protocols.ReadAsync(round.Id, hash, cancellationToken);
        var selected = await BookAsync(round, protocol, cancellationToken);
        foreach (var applicationId in selected)
        {
            await SelectAsync(round, hash, protocol.CutoffHistory[^1].Kind, applicationId, caller.AuditName, cancellationToken);
        }

        await assessments.AssignMovedUpAsync(round, selected, cancellationToken);
        return LastMove(protocol, round);
    }

    /// <summary>The move the protocol's last change made, with the hash it was saved under.</summary>
    public static CutoffMove LastMove(LotteryProtocol protocol, RoundData round) =>
        CutoffMove.Last(protocol, round.Configuration.MinimumControlGroup) with { ProtocolHash = round.LotteryState.Draw!.ProtocolHash };

    /// <summary>
    /// Books the protocol's last change in the ledger: its top-ups, then a reservation for each application it selected.
    /// Returns those applications, in the order the change selected them.
    /// </summary>
    public async Task<IReadOnlyList<string>> BookAsync(RoundData round, LotteryProtocol protocol, CancellationToken cancellationToken)
    {
        var change = protocol.CutoffHistory[^1];
        if (change.BudgetChange <= 0 && change.NewlySelected.Count == 0)
        {
            return [];
        }

        await BookTopUpsAsync(round.Id, protocol.CutoffHistory, cancellationToken);
        var selected = await NewlySelectedAsync(round, protocol, cancellationToken);
        await ledger.PostAllAsync(round.Id, [.. selected.Select(entry => new LedgerEntry(
            $"select-{entry.ApplicationId}", LedgerKinds.Reserve, entry.ApplicationId, entry.Amount, change.By, change.At, $"{change.Kind}: {change.Reason}"))], cancellationToken);
        return [.. selected.Select(e => e.ApplicationId)];
    }

    /// <summary>The pool entries the protocol's last change selected, in its order.</summary>
    public async Task<IReadOnlyList<FrozenPoolEntry>> NewlySelectedAsync(RoundData round, LotteryProtocol protocol, CancellationToken cancellationToken)
    {
        var newly = protocol.CutoffHistory[^1].NewlySelected;
        if (newly.Count == 0)
        {
            return [];
        }

        var entries = (await pools.ReadAsync(round, cancellationToken)).Entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        return [.. newly.Select(poolId => entries[poolId])];
    }

    /// <summary>The application, selected by a change of <paramref name="kind"/>, is told (once: only while it is still on the reserve list).</summary>
    public Task SelectAsync(RoundData round, string protocolHash, string kind, string applicationId, string actor, CancellationToken cancellationToken) =>
        applications.UpdateWithRetryAsync(applicationId, a => a.Data.Status == ApplicationStatus.Reserve, a =>
        {
            a.SelectFromReserve(protocolHash);
            return Change.Of(new PendingAuditEvent("SelectedFromReserve", new { kind, protocolHash }), ApplicantMail.SelectedFromReserve(a.Data, round.Name, round.Configuration));
        }, actor, cancellationToken);

    /// <summary>The round's current protocol; the cut-off moves only once the draw is published.</summary>
    private async Task<LotteryProtocol> CurrentProtocolAsync(StoredAggregate<RoundData> stored, CancellationToken cancellationToken)
    {
        if (stored.State.LotteryState.Draw is not { PublishedAt: not null } draw)
        {
            throw new InvalidTransitionException("round", stored.State.Status.ToString(), "move the cut-off of", "the draw must be published first");
        }

        return await protocols.ReadAsync(stored.Id, draw.ProtocolHash, cancellationToken);
    }

    private CutoffMove Plan(RoundData round, LotteryProtocol protocol, string kind, string reason, Caller caller, string? stratum, long budgetChange, IReadOnlyList<string> released)
    {
        protocol.CheckStratum(stratum);
        var moved = protocol.Moved(new CutoffChange(time.GetUtcNow(), kind, reason.Trim(), caller.AuditName, stratum, budgetChange, released, []));
        return new CutoffMove(moved.CutoffHistory[^1], protocol.Selected.Count, protocol.Reserve.Count, moved, round.Configuration.MinimumControlGroup);
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

/// <summary>A move of the cut-off: the change, the selection and control group before it, and the protocol it leaves.</summary>
/// <param name="Moved">The protocol's next version, with the change at the end of its cut-off history.</param>
/// <param name="ProtocolHash">The hash the moved protocol was saved under; null while the move is only worked out.</param>
/// <param name="SmallControlGroupConfirmed">Staff confirmed a top-up that leaves fewer control units than the round's minimum (<see cref="Round.CheckCutoffChange"/>).</param>
public sealed record CutoffMove(CutoffChange Change, int SelectedBefore, int ReserveBefore, LotteryProtocol Moved, int MinimumControlGroup, string? ProtocolHash = null, bool SmallControlGroupConfirmed = false)
{
    public IReadOnlyList<string> NewlySelected => Change.NewlySelected;

    public int SelectedAfter => Moved.Selected.Count;

    public int ReserveAfter => Moved.Reserve.Count;

    /// <summary>The move the protocol's last change made, worked back from the protocol it left.</summary>
    public static CutoffMove Last(LotteryProtocol protocol, int minimumControlGroup)
    {
        var done = protocol.CutoffHistory[^1];
        return new CutoffMove(done, protocol.Selected.Count - done.NewlySelected.Count, protocol.Reserve.Count + done.NewlySelected.Count, protocol, minimumControlGroup);
    }
}

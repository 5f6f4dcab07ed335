using Grants.Contracts.Lottery;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Draw: order the frozen pool, allocate the budget, compute every assignment probability and store the protocol write-once; 202 when it is published (each applicant told in the background, Location), 200 when the balance check holds it", Tag = "Lottery", Response = typeof(LotteryStatusResponse), ReturnsETag = true, StartsWork = true)]
public sealed class DrawLottery(RequestGate gate, DrawLotteryHandler handler)
{
    [Function(nameof(DrawLottery))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/draw")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<DrawLottery>(request, async (caller, ct) => (await handler.HandleAsync(roundId, caller, ct)).Accepted(LotteryResponses.From, DrawPublication.OperationIdIfPublished), cancellationToken);
}

/// <summary>
/// The draw (docs/design.md §4): from the revealed seeds and the frozen pool, the protocol — order, allocation and
/// every assignment probability — is written once, and the round records it. Unless the balance check holds the
/// draw for ministry staff to confirm, the draw is then published in the background (<see cref="DrawPublication"/>).
/// </summary>
public sealed class DrawLotteryHandler(
    CommandExecutor commands, RoundStore rounds, PoolStore pools, ProtocolStore protocols, AnnouncementStore announcements,
    IOptions<LotteryOptions> options, TimeProvider time)
{
    public Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken) =>
        commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, async stored =>
        {
            var round = new Round(stored.State);
            var seeds = round.SeedsToDraw();
            var pool = await pools.ReadAsync(stored.State, cancellationToken);

            // What the draw uses must stand announced before it: a commitment or freeze whose announcement was cut short is finished here.
            await announcements.AnnounceAsync(stored.State, pool.Entries.Select(e => e.Stratum), cancellationToken);
            var protocol = LotteryProtocol.Draw(roundId, pool.Entries.Select(e => new DrawEntry(e.Id, e.Stratum, e.Amount)), seeds,
                ProtocolDesign.Of(stored.State.Configuration, pool.Entries.Select(e => e.Stratum)), options.Value.Simulations, time.GetUtcNow(), round.CommittedAnalysisPlanHash);
            var protocolHash = await protocols.WriteOnceAsync(roundId, protocol, cancellationToken);

            var balance = DrawPublication.Balance(protocol, pool, options.Value.BalanceThreshold);
            round.RecordDraw(protocolHash, protocol.DrawNeeded, protocol.DrawnAt, holdForBalance: balance.HoldsPublication);
            var change = Change.Of(new PendingAuditEvent("LotteryDrawn", new
            {
                protocolHash,
                protocol.DrawNeeded,
                protocol.AnalysisPlanHash,
                selected = protocol.Selected.Count,
                reserve = protocol.Reserve.Count,
                heldForBalance = balance.HoldsPublication,
                surprising = balance.Groups.Where(g => g.Surprising),
            }));
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(), round.DrawIsPublished ? change.Raising(new OutboxEvent(RoundEvents.DrawPublished)) : change);
        }, cancellationToken);
}

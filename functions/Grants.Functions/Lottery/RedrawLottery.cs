using Grants.Contracts.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Set a draw aside with a reason (visible to everyone); a new draw needs new commitments", Tag = "Lottery", Request = typeof(RedrawRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class RedrawLottery(RequestGate gate, RedrawLotteryHandler handler)
{
    [Function(nameof(RedrawLottery))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/redraw")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<RedrawLottery, RedrawRequest>(request, async (caller, body, ct) => (await handler.HandleAsync(roundId, body, caller, ct)).Ok(LotteryResponses.From), cancellationToken);
}

/// <summary>Sets the round's draw aside with a reason, and announces that it was, the moment it is.</summary>
public sealed class RedrawLotteryHandler(CommandExecutor commands, RoundStore rounds, AnnouncementStore announcements, TimeProvider time)
{
    public async Task<Result<StoredAggregate<RoundData>>> HandleAsync(string roundId, RedrawRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var redrawn = await commands.ChangeAsync(rounds, roundId, ifMatch: null, caller.AuditName, stored =>
        {
            var round = new Round(stored.State);
            var previous = round.Data.LotteryState.Draw?.ProtocolHash;
            round.Redraw(request.Reason, time.GetUtcNow());
            return new Commit<RoundData>(round.Data, round.Data.Status.ToString(),
                Change.Of(new PendingAuditEvent("LotteryRedrawn", new { reason = request.Reason.Trim(), supersededProtocol = previous })));
        }, cancellationToken);

        // Also when an earlier attempt of this request stopped before announcing it.
        if (redrawn.Value is { } saved)
        {
            await announcements.AnnounceAsync(saved.State, frozen: null, cancellationToken);
        }

        return redrawn;
    }
}

using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

/// <summary>
/// What was published before each draw, each item written once when it came to exist: seed
/// commitments, the pool hash with the budgets, draws set aside. An auditor checks a protocol against
/// it (<c>grants lottery verify PROTOCOL --announcements URL</c>).
/// </summary>
[AnonymousAllowed]
[ApiOperation("What the round announced before each draw — the analysis plan committed when it opened, seed commitments, the frozen pool's hash and budgets, draws set aside — each written once when it came to exist (public; schema in contracts/schemas/lottery-announcements.schema.json)", Tag = "Lottery", Response = typeof(Grants.Domain.Lottery.LotteryAnnouncements))]
public sealed class GetLotteryAnnouncements(RequestGate gate, RoundStore rounds, AnnouncementStore announcements)
{
    [Function(nameof(GetLotteryAnnouncements))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/announcements")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryAnnouncements>(request, async (_, ct) =>
            await rounds.FindAsync(roundId, ct) is null
                ? ResultResponses.Problem(RoundStore.NotFound(roundId))
                : TypedResults.Text((await announcements.ReadAsync(roundId, ct)).ToJson(), "application/json"),
            cancellationToken);
}

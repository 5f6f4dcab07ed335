using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

/// <summary>
/// The protocol is public: ids are pseudonyms. <c>?protocolHash=</c> fetches an earlier version, the protocol a cut-off
/// document extends, or a draw that was set aside.
/// </summary>
[AnonymousAllowed]
[ApiOperation("Download the lottery protocol's current version (public, pseudonymous; schemas in contracts/schemas): the draw's protocol, or after a cut-off change the cut-off document that extends it, whose 'extends' names the protocol's hash", Tag = "Lottery", ResponseSchema = "lottery-protocol, lottery-cutoffs", Query = "protocolHash")]
public sealed class GetLotteryProtocol(RequestGate gate, GetLotteryProtocolHandler handler)
{
    [Function(nameof(GetLotteryProtocol))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/protocol")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryProtocol>(request, async (caller, ct) =>
            (await handler.HandleAsync(roundId, request.Query["protocolHash"], caller, ct)).Respond(json => TypedResults.Text(json, "application/json")),
            cancellationToken);
}

/// <summary>
/// The current version's exact bytes (the draw's protocol, or the cut-off document of its latest change), or by
/// <c>protocolHash</c> any version this round published: the protocol a cut-off document extends, an earlier cut-off
/// document, or a draw set aside. Any other value — not 64 lowercase
/// hex digits, or another round's or document's hash — names no blob.
/// </summary>
public sealed class GetLotteryProtocolHandler(RoundStore rounds, ProtocolStore protocols)
{
    public async Task<Result<string>> HandleAsync(string roundId, string? protocolHash, Caller caller, CancellationToken cancellationToken)
    {
        if (protocolHash is not null && !ProtocolStore.IsHash(protocolHash))
        {
            return Failure.Invalid(new Dictionary<string, string[]> { ["protocolHash"] = ["must be a protocol's hash: 64 lowercase hex digits"] });
        }

        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return LotteryAccess.NoProtocol(roundId);
        }

        var lottery = stored.State.LotteryState;
        if (lottery.Draw is { } held && LotteryAccess.HiddenFrom(caller, held))
        {
            return LotteryAccess.NotPublishedYet(roundId);
        }

        var hash = protocolHash ?? lottery.Draw?.ProtocolHash;
        var json = hash is not null && lottery.Protocols.Contains(hash) ? await protocols.ReadJsonAsync(roundId, hash, cancellationToken) : null;
        return json is null ? LotteryAccess.NoProtocol(roundId) : json;
    }
}

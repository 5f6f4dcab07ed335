using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[AnonymousAllowed]
[ApiOperation("The lottery's state in a round: commitments, reveals, the draw and any draw set aside (public)", Tag = "Lottery", Response = typeof(LotteryStatusResponse))]
public sealed class GetLotteryStatus(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(GetLotteryStatus))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryStatus>(request, (_, ct) => handler.StatusAsync(roundId, ct), cancellationToken);
}

/// <summary>The protocol is public: ids are pseudonyms. <c>?protocolHash=</c> fetches a draw that was set aside.</summary>
[AnonymousAllowed]
[ApiOperation("Download the lottery protocol (public, pseudonymous; schema in contracts/schemas)", Tag = "Lottery", ResponseMediaType = "application/json", Query = "protocolHash")]
public sealed class GetLotteryProtocol(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(GetLotteryProtocol))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/protocol")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryProtocol>(request, (caller, ct) => handler.ProtocolAsync(roundId, request.Query["protocolHash"], caller, ct), cancellationToken);
}

[AnonymousAllowed]
[ApiOperation("Recompute the round's published draw from its protocol and report the first mismatch, if any (public)", Tag = "Lottery", Response = typeof(VerificationResponse))]
public sealed class VerifyLottery(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(VerifyLottery))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/verify")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<VerifyLottery>(request, (caller, ct) => handler.VerifyAsync(roundId, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("The draw's balance check: selections per stratum, sector, submission day and amount band against their expectation", Tag = "Lottery", Response = typeof(BalanceReportResponse))]
public sealed class GetLotteryBalance(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(GetLotteryBalance))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/balance")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryBalance>(request, (_, ct) => handler.BalanceAsync(roundId, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Publish a draw the balance check held, saying why it may go ahead; applicants are then told their outcome", Tag = "Lottery", Request = typeof(ConfirmPublicationRequest), Response = typeof(LotteryStatusResponse), ReturnsETag = true)]
public sealed class ConfirmLotteryPublication(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(ConfirmLotteryPublication))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/lottery/publish")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ConfirmLotteryPublication>(request, async (caller, ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<ConfirmPublicationRequest>(request, ct);
            return problem ?? await handler.ConfirmPublicationAsync(roundId, body!, caller, ct);
        }, cancellationToken);
}

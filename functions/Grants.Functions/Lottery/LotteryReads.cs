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

/// <summary>
/// What was published before each draw, each item written once when it came to exist: seed
/// commitments, the pool hash with the budgets, draws set aside. An auditor checks a protocol against
/// it (<c>grants lottery verify PROTOCOL --announcements URL</c>).
/// </summary>
[AnonymousAllowed]
[ApiOperation("What the round announced before each draw — the analysis plan committed when it opened, seed commitments, the frozen pool's hash and budgets, draws set aside — each written once when it came to exist (public; schema in contracts/schemas/lottery-announcements.schema.json)", Tag = "Lottery", Response = typeof(Grants.Domain.Lottery.LotteryAnnouncements))]
public sealed class GetLotteryAnnouncements(RequestGate gate, LotteryHandlers handler)
{
    [Function(nameof(GetLotteryAnnouncements))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/announcements")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetLotteryAnnouncements>(request, (_, ct) => handler.AnnouncementsAsync(roundId, ct), cancellationToken);
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
        gate.RunAsync<ConfirmLotteryPublication, ConfirmPublicationRequest>(request, (caller, body, ct) => handler.ConfirmPublicationAsync(roundId, body, caller, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Raise a round's budget after the draw: the cut-off moves down the published order; refused if it leaves too small a control group, unless confirmed", Tag = "Budget", Request = typeof(TopUpRequest), Response = typeof(CutoffChangeResponse))]
public sealed class TopUpBudget(RequestGate gate, CutoffChanges changes)
{
    [Function(nameof(TopUpBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/budget/top-ups")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<TopUpBudget, TopUpRequest>(request, (caller, body, ct) => changes.TopUpAsync(roundId, body, caller, preview: false, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry)]
[ApiOperation("Show what a budget top-up would do: who is selected next, the control group's size and the minimum detectable effect before and after", Tag = "Budget", Request = typeof(TopUpRequest), Response = typeof(CutoffChangeResponse))]
public sealed class PreviewTopUp(RequestGate gate, CutoffChanges changes)
{
    [Function(nameof(PreviewTopUp))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rounds/{roundId}/budget/top-ups/preview")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<PreviewTopUp, TopUpRequest>(request, (caller, body, ct) => changes.TopUpAsync(roundId, body, caller, preview: true, ct), cancellationToken);
}

[RolesAllowed(Roles.Ministry, Roles.Auditor)]
[ApiOperation("A round's budget ledger: ceiling, reserved, committed, released, available, and every entry", Tag = "Budget", Response = typeof(BudgetResponse))]
public sealed class GetBudget(RequestGate gate, Budget.BudgetLedgerStore ledger)
{
    [Function(nameof(GetBudget))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/budget")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetBudget>(request, async (_, ct) =>
        {
            var balance = await ledger.BalanceAsync(roundId, ct);
            var entries = await ledger.EntriesAsync(roundId, ct);
            return TypedResults.Ok(new BudgetResponse(roundId, balance.Ceiling, balance.Reserved, balance.Committed, balance.Released, balance.Available,
                [.. entries.Select(e => new LedgerEntryResponse(e.EntryId, e.Kind, e.Reference, e.Amount, e.By, e.At, e.Reason))], balance.Paid));
        }, cancellationToken);
}

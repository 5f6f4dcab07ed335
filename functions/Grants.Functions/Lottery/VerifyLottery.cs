using System.Collections.Concurrent;
using System.Text.Json;
using Grants.Contracts.Lottery;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Grants.Functions.Rounds;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Lottery;

[AnonymousAllowed]
[ApiOperation("Recompute the round's published draw from its protocol and report the first mismatch, if any (public)", Tag = "Lottery", Response = typeof(VerificationResponse))]
public sealed class VerifyLottery(RequestGate gate, VerifyLotteryHandler handler)
{
    [Function(nameof(VerifyLottery))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/lottery/verify")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<VerifyLottery>(request, async (caller, ct) =>
            (await handler.HandleAsync(roundId, caller, ct)).Ok(v => LotteryResponses.Verification(roundId, v.ProtocolHash, v.Outcome)),
            cancellationToken);
}

/// <summary>
/// Recomputes the round's current draw from its protocol and checks it against what was announced before it.
/// That is seconds of CPU for a large pool, and anyone may ask for it. A protocol never changes once written
/// (its name is its hash), nor does what was announced before its draw, so the outcome is computed once per
/// protocol and instance; concurrent requests for the same protocol share one computation.
/// </summary>
public sealed class VerifyLotteryHandler(RoundStore rounds, ProtocolStore protocols, AnnouncementStore announcements)
{
    /// <summary>More than any instance serves between restarts; past it the cache starts afresh rather than grow.</summary>
    private const int MaxProtocols = 512;

    private readonly ConcurrentDictionary<string, Lazy<Task<ProtocolVerification>>> _outcomes = new(StringComparer.Ordinal);

    public async Task<Result<(string ProtocolHash, ProtocolVerification Outcome)>> HandleAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { State.LotteryState.Draw: { } draw })
        {
            return LotteryAccess.NoProtocol(roundId);
        }

        if (LotteryAccess.HiddenFrom(caller, draw))
        {
            return LotteryAccess.NotPublishedYet(roundId);
        }

        return (draw.ProtocolHash, await VerifyAsync(roundId, draw.ProtocolHash, cancellationToken));
    }

    private async Task<ProtocolVerification> VerifyAsync(string roundId, string protocolHash, CancellationToken cancellationToken)
    {
        if (_outcomes.Count >= MaxProtocols)
        {
            _outcomes.Clear();
        }

        var key = $"{roundId}/{protocolHash}";
        var outcome = _outcomes.GetOrAdd(key, _ => new Lazy<Task<ProtocolVerification>>(() => ComputeAsync(roundId, protocolHash)));
        try
        {
            return await outcome.Value.WaitAsync(cancellationToken);
        }
        catch when (outcome.Value.IsFaulted)
        {
            // Storage failed: forget it, so that the next request tries again.
            _outcomes.TryRemove(KeyValuePair.Create(key, outcome));
            throw;
        }
    }

    private async Task<ProtocolVerification> ComputeAsync(string roundId, string protocolHash)
    {
        // Not cancelled with the first caller's request: others may be waiting for the same outcome.
        var stored = await ReadStoredAsync(roundId, protocolHash, hash => protocols.ReadJsonAsync(roundId, hash, CancellationToken.None));
        if (stored.Protocol is not { } protocol)
        {
            return ProtocolVerification.Mismatch(stored.Mismatch!);
        }

        return LotteryVerifier.Verify(protocol) is { Verified: false } failed
            ? failed
            : LotteryVerifier.VerifyAgainst(protocol, await announcements.ReadAsync(roundId, CancellationToken.None));
    }

    /// <summary>
    /// The protocol the round's current version stands for, read as an outside verifier must read it: the stored bytes of
    /// the version, which must hash to what the round recorded, are a protocol, or a cut-off document replayed on the
    /// stored protocol it extends (<see cref="CutoffDocument.ReplayOn"/>). Whatever does not hash, read strictly or replay
    /// is the mismatch, not an error: only storage failing is one.
    /// </summary>
    /// <param name="read">The stored text under a hash of the round; null when nothing is stored under it.</param>
    public static async Task<ReplayedProtocol> ReadStoredAsync(string roundId, string protocolHash, Func<string, Task<string?>> read)
    {
        var json = await read(protocolHash)
            ?? throw new InvalidOperationException($"Protocol {protocolHash} of round {roundId} is missing.");
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        if (Sha256Hex.Of(bytes) is var hash && hash != protocolHash)
        {
            return new(null, $"the stored protocol's hash {hash} is not the one the round recorded ({protocolHash})");
        }

        CutoffDocument document;
        try
        {
            if (!CutoffDocument.IsOne(bytes))
            {
                return new(LotteryProtocol.FromJson(json), null);
            }

            document = CutoffDocument.FromJson(bytes);
        }
        catch (JsonException e)
        {
            return new(null, $"the stored document {protocolHash} cannot be read: {e.Message}");
        }

        if (document.Problems() is [var problem, ..])
        {
            // Before what it extends becomes a blob name.
            return new(null, problem);
        }

        if (await read(document.Extends) is not { } extended)
        {
            return new(null, $"extends: the protocol {document.Extends} the cut-off document extends is not stored for round {roundId}");
        }

        try
        {
            return document.ReplayOn(System.Text.Encoding.UTF8.GetBytes(extended), "what is stored under that hash", LotteryProtocol.FromJson);
        }
        catch (JsonException e)
        {
            return new(null, $"extends: what is stored under {document.Extends} is not a lottery protocol: {e.Message}");
        }
    }
}

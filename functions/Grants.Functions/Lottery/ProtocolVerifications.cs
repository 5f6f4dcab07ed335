using System.Collections.Concurrent;
using Grants.Domain.Lottery;

namespace Grants.Functions.Lottery;

/// <summary>
/// Recomputing a draw is seconds of CPU for a large pool, and anyone may ask for it. A protocol never
/// changes once written (its name is its hash), nor does what was announced before its draw, so the
/// outcome is computed once per protocol and instance; concurrent requests for the same protocol
/// share one computation.
/// </summary>
public sealed class ProtocolVerifications(ProtocolStore protocols, AnnouncementStore announcements)
{
    /// <summary>More than any instance serves between restarts; past it the cache starts afresh rather than grow.</summary>
    private const int MaxProtocols = 512;

    private readonly ConcurrentDictionary<string, Lazy<Task<ProtocolVerification>>> _outcomes = new(StringComparer.Ordinal);

    public async Task<ProtocolVerification> VerifyAsync(string roundId, string protocolHash, CancellationToken cancellationToken)
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
        var json = await protocols.ReadJsonAsync(roundId, protocolHash, CancellationToken.None)
            ?? throw new InvalidOperationException($"Protocol {protocolHash} of round {roundId} is missing.");
        var stored = ProtocolStore.HashOf(json);
        if (stored != protocolHash)
        {
            return ProtocolVerification.Mismatch($"the stored protocol's hash {stored} is not the one the round recorded ({protocolHash})");
        }

        var protocol = LotteryProtocol.FromJson(json);
        return LotteryVerifier.Verify(protocol) is { Verified: false } failed
            ? failed
            : LotteryVerifier.VerifyAgainst(protocol, await announcements.ReadAsync(roundId, CancellationToken.None));
    }
}
